import DNSWire
import TestWorld
import Testing

/// The stub DNS server answering the real `dig`, over UDP and TCP, with each fault.
@Suite struct StubDNSServerDigTests {
    private func withServer(_ body: (StubDNSServer) async throws -> Void) async throws {
        let server = try await StubDNSServer.start()
        do {
            try await body(server)
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    @Test func answersSeveralARecordsOverUDPWithTheirTTLs() async throws {
        try await withServer { server in
            try server.setRecords([.a("127.0.10.1", ttl: 30), .a("127.0.10.2", ttl: 31)], for: "www.example.com")
            let dig = try await StubDNSDig.query(port: server.port, "www.example.com")
            #expect(dig.status == "NOERROR", "\(dig.output)")
            #expect(dig.flags.isSuperset(of: ["qr", "aa", "rd"]), "\(dig.output)")
            #expect(dig.transport == "UDP")
            #expect(
                dig.answers == [
                    .init(name: "www.example.com.", ttl: 30, type: "A", data: "127.0.10.1"),
                    .init(name: "www.example.com.", ttl: 31, type: "A", data: "127.0.10.2"),
                ]
            )
            #expect(try server.queryCount(for: "www.example.com", transport: .udp) == 1)
            #expect(try server.queryCount(for: "WWW.example.com.", transport: .tcp) == 0)
        }
    }

    @Test func answersAAAAOverTCP() async throws {
        try await withServer { server in
            try server.setRecords([.aaaa("::1", ttl: 5)], for: "v6.example.com")
            let dig = try await StubDNSDig.query(port: server.port, "v6.example.com", "AAAA", options: ["+tcp"])
            #expect(dig.transport == "TCP", "\(dig.output)")
            #expect(dig.answers == [.init(name: "v6.example.com.", ttl: 5, type: "AAAA", data: "::1")])
            #expect(try server.queryCount(for: "v6.example.com", transport: .tcp) == 1)
            #expect(try server.queryCount(for: "v6.example.com", transport: .udp) == 0)
        }
    }

    @Test func followsACNAMEChainInsideTheTable() async throws {
        try await withServer { server in
            try server.setRecords([.cname("edge.example.net", ttl: 300)], for: "www.example.com")
            try server.setRecords([.cname("pop1.example.net", ttl: 200)], for: "edge.example.net")
            try server.setRecords([.a("127.0.20.1", ttl: 20)], for: "pop1.example.net")
            let dig = try await StubDNSDig.query(port: server.port, "www.example.com")
            #expect(
                dig.answers == [
                    .init(name: "www.example.com.", ttl: 300, type: "CNAME", data: "edge.example.net."),
                    .init(name: "edge.example.net.", ttl: 200, type: "CNAME", data: "pop1.example.net."),
                    .init(name: "pop1.example.net.", ttl: 20, type: "A", data: "127.0.20.1"),
                ],
                "\(dig.output)"
            )
        }
    }

    @Test func unknownNameIsNXDOMAINWithAnSOAForNegativeCaching() async throws {
        try await withServer { server in
            server.setNegativeTTL(7)
            let dig = try await StubDNSDig.query(port: server.port, "missing.example.com")
            #expect(dig.status == "NXDOMAIN", "\(dig.output)")
            #expect(dig.answers.isEmpty)
            #expect(
                dig.authorities == [
                    .init(name: ".", ttl: 7, type: "SOA", data: "stub.invalid. stub.invalid. 1 3600 600 86400 7")
                ]
            )
        }
    }

    @Test func knownNameWithoutTheTypeIsNODATA() async throws {
        try await withServer { server in
            try server.setRecords([.a("127.0.0.1")], for: "v4only.example.com")
            let dig = try await StubDNSDig.query(port: server.port, "v4only.example.com", "AAAA")
            #expect(dig.status == "NOERROR", "\(dig.output)")
            #expect(dig.answers.isEmpty)
            #expect(dig.authorities.map(\.type) == ["SOA"])
        }
    }

    @Test(arguments: [
        (StubDNSFault.nameError, "NXDOMAIN", ["SOA"]), (.serverFailure, "SERVFAIL", []),
        (.noAnswer, "NOERROR", ["SOA"]),
    ])
    func faultsReplaceTheAnswer(fault: StubDNSFault, status: String, authorityTypes: [String]) async throws {
        try await withServer { server in
            try server.setRecords([.a("127.0.0.1")], for: "faulty.example.com")
            try server.setFault(fault, for: "faulty.example.com")
            let dig = try await StubDNSDig.query(port: server.port, "faulty.example.com")
            #expect(dig.status == status, "\(dig.output)")
            #expect(dig.answers.isEmpty)
            #expect(dig.authorities.map(\.type) == authorityTypes)
            try server.setFault(nil, for: "faulty.example.com")
            let healed = try await StubDNSDig.query(port: server.port, "faulty.example.com")
            #expect(healed.answers.map(\.data) == ["127.0.0.1"], "\(healed.output)")
        }
    }

    @Test func truncatedUDPAnswerMakesDigRetryOverTCP() async throws {
        try await withServer { server in
            try server.setRecords([.a("127.0.30.1")], for: "big.example.com")
            try server.setFault(.truncateUDP, for: "big.example.com")
            let dig = try await StubDNSDig.query(port: server.port, "big.example.com")
            #expect(dig.retriedOverTCP, "\(dig.output)")
            #expect(dig.transport == "TCP")
            #expect(dig.answers.map(\.data) == ["127.0.30.1"])
            #expect(try server.queryCount(for: "big.example.com", transport: .udp) == 1)
            #expect(try server.queryCount(for: "big.example.com", transport: .tcp) == 1)
        }
    }

    @Test func answerTooLargeForClassicUDPIsTruncatedOnItsOwn() async throws {
        try await withServer { server in
            let records = try (1...40).map { try StubDNSRecord.a("127.0.40.\($0)") }
            try server.setRecords(records, for: "many.example.com")
            // Without EDNS the UDP limit is 512 bytes; 40 A records take more than 600.
            let dig = try await StubDNSDig.query(port: server.port, "many.example.com", options: ["+noedns"])
            #expect(dig.retriedOverTCP, "\(dig.output)")
            #expect(dig.answers.count == 40)
            let withEDNS = try await StubDNSDig.query(port: server.port, "many.example.com")
            #expect(!withEDNS.retriedOverTCP && withEDNS.answers.count == 40, "\(withEDNS.output)")
        }
    }

    @Test func recordsAndTTLsChangeWhileRunning() async throws {
        try await withServer { server in
            try server.setRecords([.a("127.0.50.1", ttl: 60)], for: "moving.example.com")
            let before = try await StubDNSDig.query(port: server.port, "moving.example.com")
            try server.setRecords([.a("127.0.50.2", ttl: 1)], for: "moving.example.com")
            let after = try await StubDNSDig.query(port: server.port, "moving.example.com")
            try server.setRecords([], for: "moving.example.com")
            let removed = try await StubDNSDig.query(port: server.port, "moving.example.com")
            #expect(before.answers.map { "\($0.data)/\($0.ttl)" } == ["127.0.50.1/60"])
            #expect(after.answers.map { "\($0.data)/\($0.ttl)" } == ["127.0.50.2/1"])
            #expect(removed.status == "NXDOMAIN")
            #expect(try server.queryCount(for: "moving.example.com") == 3)
            server.resetQueryCounts()
            #expect(try server.queryCount(for: "moving.example.com") == 0)
        }
    }

    @Test(arguments: [StubDNSFault.drop, .delay(milliseconds: 2500)])
    func droppedOrLateAnswersLeaveDigWithoutAReply(fault: StubDNSFault) async throws {
        try await withServer { server in
            try server.setRecords([.a("127.0.0.1")], for: "slow.example.com")
            try server.setFault(fault, for: "slow.example.com")
            let dig = try await StubDNSDig.query(port: server.port, "slow.example.com", options: ["+time=1"])
            #expect(dig.status == nil, "\(dig.output)")
            #expect(dig.output.contains("timed out"), "\(dig.output)")
            #expect(try server.queryCount(for: "slow.example.com", transport: .udp) == 1)
        }
    }

    @Test func shortDelayStillAnswers() async throws {
        try await withServer { server in
            try server.setRecords([.a("127.0.0.1")], for: "slow.example.com")
            try server.setFault(.delay(milliseconds: 100), for: "slow.example.com")
            let dig = try await StubDNSDig.query(port: server.port, "slow.example.com", options: ["+tcp"])
            #expect(dig.answers.map(\.data) == ["127.0.0.1"], "\(dig.output)")
        }
    }

    /// dig reports the forgeries it reads; it never reads the one from another port, because its UDP socket
    /// is connected to the server and the kernel drops that datagram (see the next test).
    @Test(arguments: [
        (StubDNSForgery.wrongID, "ID mismatch" as String?), (.wrongQuestion, "Question section mismatch"),
        (.wrongSource, nil),
    ])
    func forgedAnswersNeverReplaceTheRealOne(forgery: StubDNSForgery, warning: String?) async throws {
        try await withServer { server in
            try server.setRecords([.a("127.0.60.1")], for: "target.example.com")
            try server.setFault(
                .forgedAnswerFirst(forgery, decoy: try DNSIPv4Address("127.6.6.6")),
                for: "target.example.com"
            )
            let dig = try await StubDNSDig.query(port: server.port, "target.example.com")
            if let warning {
                #expect(dig.output.contains(warning), "\(dig.output)")
            }
            #expect(dig.answers.map(\.data) == ["127.0.60.1"], "\(dig.output)")
        }
    }

    @Test func forgeryFromAnotherSourceArrivesFromAnotherPort() async throws {
        try await withServer { server in
            try server.setRecords([.a("127.0.60.1")], for: "target.example.com")
            try server.setFault(
                .forgedAnswerFirst(.wrongSource, decoy: try DNSIPv4Address("127.6.6.6")),
                for: "target.example.com"
            )
            // An unconnected Python socket sees both datagrams and where each came from.
            let script = """
                import socket, sys
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(2)
                q = bytes.fromhex("abcd01000001000000000000") + b"\\x06target\\x07example\\x03com\\x00\\x00\\x01\\x00\\x01"
                s.sendto(q, ("127.0.0.1", int(sys.argv[1])))
                for _ in range(2):
                    data, (host, port) = s.recvfrom(512)
                    print(port == int(sys.argv[1]), data[-4:].hex())
                """
            let output = try await StubDNSProcess.run("/usr/bin/python3", ["-c", script, String(server.port)])
            #expect(output == "False 7f060606\nTrue 7f003c01\n")
        }
    }
}
