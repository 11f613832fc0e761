import Testing

@testable import TestWorld

@Suite struct ShellWordsTests {
    @Test func quotesBackslashesAndVariablesSplitLikeAShell() throws {
        let words = try ShellWords.split(
            #"curl -s -H 'X-A: $NOT' -H "Host: ${HOST}:$PORT" a\ b "q\"uote" end$"#,
            environment: ["HOST": "www.google.com", "PORT": "443"]
        )
        #expect(
            words == ["curl", "-s", "-H", "X-A: $NOT", "-H", "Host: www.google.com:443", "a b", #"q"uote"#, "end$"]
        )
    }

    @Test func anUnsetVariableIsAnErrorNamingIt() {
        #expect(throws: ShellWordsError.undefinedVariable("INGRESS_HOST")) {
            try ShellWords.split("curl $INGRESS_HOST", environment: [:])
        }
    }

    @Test(arguments: ["curl x | grep y", "curl x > out", "curl $(id)", "curl `id`", "curl x; ls"])
    func shellOperatorsAreRefused(line: String) {
        #expect(throws: ShellWordsError.self) { try ShellWords.split(line, environment: [:]) }
    }

    @Test func anUnterminatedQuoteIsAnError() {
        #expect(throws: ShellWordsError.unterminated("'")) { try ShellWords.split("curl 'abc", environment: [:]) }
    }
}

@Suite struct CurlCommandTests {
    @Test func theSeedCommandParses() throws {
        let command = try CurlCommand(
            parsing:
                "curl -s --resolve www.google.com:$SECURE_INGRESS_PORT:$INGRESS_HOST https://www.google.com:$SECURE_INGRESS_PORT",
            environment: ["SECURE_INGRESS_PORT": "31390", "INGRESS_HOST": "127.0.0.1"]
        )
        #expect(command.silent)
        #expect(command.resolves == [CurlCommand.Resolve(host: "www.google.com", port: 31390, address: "127.0.0.1")])
        #expect(command.url.host == "www.google.com" && command.url.port == 31390 && command.url.path == "/")
        #expect(command.url.isTLS)
    }

    @Test func bundledShortOptionsAndAttachedArguments() throws {
        let command = try CurlCommand(
            parsing: "curl -sSkv -HHost:x -m 2.5 -o /dev/null -X DELETE http://[::1]:8080/a?b"
        )
        #expect(command.silent && command.showError && command.insecure && command.verbose)
        #expect(command.headers == ["Host:x"])
        #expect(command.maxTime == 2.5 && command.outputPath == "/dev/null" && command.effectiveMethod == "DELETE")
        #expect(command.url.host == "::1" && command.url.port == 8080 && command.url.path == "/a?b")
    }

    @Test func connectToKeepsEmptyPartsAsWildcards() throws {
        let command = try CurlCommand(parsing: "curl --connect-to ::127.0.0.1:8443 https://a.test")
        #expect(command.connectTos == [CurlCommand.ConnectTo(host: nil, port: nil, toHost: "127.0.0.1", toPort: 8443)])
    }

    @Test func dataMakesAPostWithAFormBody() throws {
        let command = try CurlCommand(parsing: "curl -d a=1 --data b=2 http://h/")
        #expect(command.effectiveMethod == "POST")
        #expect(command.body == Array("a=1&b=2".utf8))
    }

    @Test func anUnsupportedOptionIsNamed() {
        let error = #expect(throws: CurlCommandError.self) { try CurlCommand(parsing: "curl --foo http://h/") }
        #expect(error?.description == "curl option --foo is not supported by the harness")
    }

    @Test func aMissingURLOrArgumentIsAnError() {
        #expect(throws: CurlCommandError.noURL) { try CurlCommand(parsing: "curl -s") }
        #expect(throws: CurlCommandError.missingArgument("-H")) { try CurlCommand(parsing: "curl http://h/ -H") }
    }

    @Test(arguments: ["ftp://h/", "https://user@h/", "https://h:0/", "https://h:99999/", "https:///x"])
    func badURLsAreRejected(url: String) {
        #expect(throws: CurlCommandError.self) { try CurlCommand(parsing: "curl \(url)") }
    }

    @Test func theRequestHasCurlsDefaultHeadersAndCustomOnesReplaceThem() throws {
        let command = try CurlCommand(
            parsing: "curl -H 'Accept: text/html' -H 'User-Agent:' -H 'X-Empty;' http://h:8080/p"
        )
        let text = String(decoding: CurlRequest.bytes(command), as: UTF8.self)
        #expect(text == "GET /p HTTP/1.1\r\nHost: h:8080\r\nAccept: text/html\r\nX-Empty:\r\n\r\n")
    }
}

@Suite struct SimulatedAddressTests {
    @Test func ipv4AndBracketedIPv6Parse() throws {
        let v4 = try SimulatedAddress(parsing: "127.0.10.1:443")
        #expect(v4.ip == "127.0.10.1" && v4.port == 443 && v4.description == "127.0.10.1:443")
        let v6 = try SimulatedAddress(parsing: "[::1]:8443")
        #expect(v6.ip == "::1" && v6.port == 8443 && v6.description == "[::1]:8443")
    }

    @Test func aNonLoopbackAddressIsRefusedWithTheHarnessMessage() {
        let error = #expect(throws: AddressError.self) { try SimulatedAddress(parsing: "10.0.0.1:443") }
        #expect(
            error?.description
                == "10.0.0.1:443 is not a loopback address: the harness only talks to 127.0.0.0/8 and ::1"
        )
        #expect(throws: AddressError.notLoopback("[2001:db8::1]:443")) {
            try SimulatedAddress(parsing: "[2001:db8::1]:443")
        }
    }

    @Test(arguments: ["127.0.0.1", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:70000", "::1:443", "[::1]443", "host:443"])
    func malformedAddressesSayWhy(text: String) {
        let error = #expect(throws: AddressError.self) { try SimulatedAddress(parsing: text) }
        if case .malformed = error {} else { Issue.record("expected .malformed, got \(String(describing: error))") }
    }

    @Test func theMapResolvesOnlyRegisteredAddresses() throws {
        let map = AddressMap()
        let real = try SimulatedAddress(ip: "127.0.10.1", port: 40123).socketAddress
        try map.register(SimulatedAddress(parsing: "127.0.10.1:443"), at: real)
        #expect(try map.resolve("127.0.10.1:443") == real)
        #expect(throws: AddressError.notMapped("127.0.10.2:443")) { try map.resolve("127.0.10.2:443") }
        #expect(throws: AddressError.notLoopback("10.0.0.1:443")) { try map.resolve("10.0.0.1:443") }
    }
}

@Suite struct HTTPParsingTests {
    @Test func requestsSplitOnContentLengthAcrossReads() throws {
        var parser = HTTPRequestParser()
        parser.feed(Array("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nab".utf8))
        #expect(try parser.next() == nil)
        parser.feed(Array("cGET / HTTP/1.1\r\nConnection: close\r\n\r\n".utf8))
        let first = try #require(try parser.next())
        #expect(first.method == "POST" && first.body == Array("abc".utf8) && !first.wantsClose)
        let second = try #require(try parser.next())
        #expect(second.target == "/" && second.wantsClose)
    }

    @Test func aMalformedRequestLineIsAnError() {
        var parser = HTTPRequestParser()
        parser.feed(Array("NONSENSE\r\n\r\n".utf8))
        #expect(throws: HTTPMessageError.badStartLine("NONSENSE")) { try parser.next() }
    }

    @Test func chunkedResponsesAreReassembled() throws {
        var parser = HTTPResponseParser(isHeadRequest: false)
        #expect(try parser.feed(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n".utf8)) == nil)
        let response = try #require(try parser.feed(Array("2;x=y\r\nde\r\n0\r\n\r\n".utf8)))
        #expect(response.status == 200 && response.body == Array("abcde".utf8))
    }

    @Test func aBodyWithoutLengthEndsWithTheConnection() throws {
        var parser = HTTPResponseParser(isHeadRequest: false)
        #expect(try parser.feed(Array("HTTP/1.0 200 OK\r\n\r\nhello".utf8)) == nil)
        #expect(try parser.finish().body == Array("hello".utf8))
    }

    @Test func aShortBodyIsTruncated() throws {
        var parser = HTTPResponseParser(isHeadRequest: false)
        _ = try parser.feed(Array("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhello".utf8))
        #expect(throws: HTTPMessageError.truncated) { try parser.finish() }
    }

    @Test func a100ContinueIsSkippedAndHeadHasNoBody() throws {
        var parser = HTTPResponseParser(isHeadRequest: true)
        let response = try #require(
            try parser.feed(Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".utf8))
        )
        #expect(response.status == 200 && response.body.isEmpty)
    }

    @Test func anEndlessHeadIsBounded() {
        var parser = HTTPRequestParser()
        parser.feed([UInt8](repeating: 65, count: HTTPHead.limit + 1))
        #expect(throws: HTTPMessageError.headTooLarge(limit: HTTPHead.limit)) { try parser.next() }
    }
}

@Suite struct CaptureTests {
    @Test func sha256MatchesTheStandardVectorIncrementally() {
        let hasher = SHA256Hasher()
        hasher.update(Array("a".utf8))
        #expect(hasher.digest == SHA256Digest(of: Array("a".utf8)))
        hasher.update(Array("bc".utf8))
        #expect(hasher.digest.description == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func theRecorderKeepsBytesUpToItsCapButDigestsAll() {
        let recorder = ByteRecorder(cap: 4)
        recorder.record([1, 2, 3])
        recorder.record([4, 5, 6])
        let captured = recorder.captured
        #expect(captured.bytes == [1, 2, 3, 4] && captured.count == 6 && captured.isTruncated)
        #expect(captured.digest == SHA256Digest(of: [1, 2, 3, 4, 5, 6]))
    }

    @Test func clientHelloExtensionsDecode() {
        #expect(ClientHelloExtensions.serverName([0, 8, 0, 0, 5] + Array("a.com".utf8)) == "a.com")
        #expect(
            ClientHelloExtensions.alpnProtocols([0, 12, 2] + Array("h2".utf8) + [8] + Array("http/1.1".utf8)) == [
                "h2", "http/1.1",
            ]
        )
        #expect(ClientHelloExtensions.serverName([0, 1]) == nil)
    }
}
