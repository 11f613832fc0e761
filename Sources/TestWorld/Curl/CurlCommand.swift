/// A parsed curl command line: the subset of curl options people use in docs, and nothing else (any other
/// option is a clear error rather than silently ignored).
public struct CurlCommand: Hashable, Sendable {
    /// `--resolve host:port:address`: connect to `address` for `host:port`.
    public struct Resolve: Hashable, Sendable {
        public var host: String
        public var port: Int
        public var address: String
    }

    /// `--connect-to host:port:toHost:toPort`; empty parts match any / keep the original.
    public struct ConnectTo: Hashable, Sendable {
        public var host: String?
        public var port: Int?
        public var toHost: String?
        public var toPort: Int?
    }

    public var url: CurlURL
    /// URLs after the first, fetched in turn; one of the same scheme, host and port as the previous request
    /// reuses its connection while the server keeps it, as curl does.
    public var moreURLs: [CurlURL] = []
    /// `-L`: follow `Location` on 3xx responses.
    public var followsRedirects = false
    /// `--max-redirs` (curl's default is 50; -1 is unlimited).
    public var maximumRedirects = 50
    /// `-s`: no progress or error output.
    public var silent = false
    /// `-S`: show errors even when silent.
    public var showError = false
    /// `-v`: connection and header lines on stderr.
    public var verbose = false
    /// `-k`: skip certificate verification.
    public var insecure = false
    /// `-I`: HEAD request, print the response head.
    public var headOnly = false
    /// `-i`: print the response head before the body.
    public var includeHead = false
    /// `--http1.1`: offer only `http/1.1` in ALPN.
    public var http11Only = false
    public var caCertificatePath: String?
    public var resolves: [Resolve] = []
    public var connectTos: [ConnectTo] = []
    /// `-H` values, as given (`Name: value`, `Name:` to remove, `Name;` for an empty value).
    public var headers: [String] = []
    /// `-X`.
    public var method: String?
    /// `-d` / `--data*` values, joined with `&` into the body.
    public var data: [String] = []
    /// `-o`.
    public var outputPath: String?
    /// `-m` / `--max-time`, seconds.
    public var maxTime: Double?
    /// `--connect-timeout`, seconds.
    public var connectTimeout: Double?

    /// The request method curl would use.
    public var effectiveMethod: String { method ?? (headOnly ? "HEAD" : (data.isEmpty ? "GET" : "POST")) }

    /// The request body (`-d` values joined with `&`), nil without `-d`.
    public var body: [UInt8]? { data.isEmpty ? nil : Array(data.joined(separator: "&").utf8) }

    /// The request curl sends after `response` to this command's request when it follows redirects (nil
    /// when it stops): the resolved `Location`; POST becomes GET (without its body) after 301, 302 and 303,
    /// and any method but HEAD after 303, unless `-X` set the method; a custom `Host` header is not sent to
    /// another host.
    public func redirected(by status: Int, location: String) throws(CurlCommandError) -> CurlCommand? {
        guard followsRedirects, [301, 302, 303, 307, 308].contains(status) else { return nil }
        var next = self
        next.url = try url.resolving(location: location)
        next.moreURLs = []
        if method == nil {
            let becomesGet =
                (status == 303 && effectiveMethod != "HEAD")
                || ((301...302).contains(status) && effectiveMethod == "POST")
            if becomesGet { next.data = [] }
        }
        if !next.url.sharesConnection(with: url) {
            next.headers.removeAll { header in
                let name = header.prefix { $0 != ":" && $0 != ";" }.lowercased()
                return ["host", "authorization", "cookie"].contains(name.trimmingASCIISpaces())
            }
        }
        return next
    }

    /// Parses `line` (`curl -s --resolve ... https://...`), expanding `$VARIABLES` from `environment`.
    public init(parsing line: String, environment: [String: String] = [:]) throws(CurlCommandError) {
        let words: [String]
        do { words = try ShellWords.split(line, environment: environment) } catch { throw .shell(error) }
        try self.init(arguments: words)
    }

    /// Parses already split words; the first must be `curl`.
    public init(arguments words: [String]) throws(CurlCommandError) {
        guard let first = words.first, first == "curl" || first.hasSuffix("/curl") else {
            throw .notCurl(words.first ?? "")
        }
        var urls: [String] = []
        var options: [(option: String, argument: String)] = []
        var rest = words.dropFirst()[...]
        var endOfOptions = false
        func take(_ option: String) throws(CurlCommandError) {
            guard CurlOptions.takesArgument(option) else { return options.append((option, "")) }
            guard let argument = rest.popFirst() else { throw .missingArgument(option) }
            options.append((option, argument))
        }
        while let word = rest.popFirst() {
            if endOfOptions || !word.hasPrefix("-") || word == "-" {
                urls.append(word)
            } else if word == "--" {
                endOfOptions = true
            } else if word.hasPrefix("--") {
                try take(word)
            } else {
                // Short options may be bundled (-sSk); one that takes an argument ends the bundle, and the
                // rest of the word (if any) is its argument (-HHost:x).
                var letters = word.dropFirst()[...]
                while let letter = letters.popFirst() {
                    let option = "-\(letter)"
                    if CurlOptions.takesArgument(option), !letters.isEmpty {
                        rest.insert(String(letters), at: rest.startIndex)
                        letters = ""
                    }
                    try take(option)
                }
            }
        }
        guard !urls.isEmpty else { throw .noURL }
        var command = CurlCommand(url: try CurlURL(parsing: urls[0]))
        for text in urls.dropFirst() { command.moreURLs.append(try CurlURL(parsing: text)) }
        for (option, argument) in options { try CurlOptions.apply(option, argument, to: &command) }
        self = command
    }
}

/// The options the harness implements, and what each does to a command.
private enum CurlOptions {
    private static let withArgument: Set<String> = [
        "--cacert", "--resolve", "--connect-to", "-H", "--header", "-X", "--request", "-d", "--data",
        "--data-raw", "--data-binary", "-o", "--output", "-m", "--max-time", "--connect-timeout", "--max-redirs",
    ]

    static func takesArgument(_ option: String) -> Bool { withArgument.contains(option) }

    static func apply(
        _ option: String,
        _ argument: String,
        to command: inout CurlCommand
    ) throws(CurlCommandError) {
        switch option {
        case "-s", "--silent": command.silent = true
        case "-S", "--show-error": command.showError = true
        case "-v", "--verbose": command.verbose = true
        case "-k", "--insecure": command.insecure = true
        case "-I", "--head": command.headOnly = true
        case "-L", "--location": command.followsRedirects = true
        case "--max-redirs":
            guard let count = Int(argument), count >= -1 else {
                throw .badArgument(option: option, argument: argument, reason: "expected a number, -1 for no limit")
            }
            command.maximumRedirects = count
        case "-i", "--include": command.includeHead = true
        case "--http1.1": command.http11Only = true
        case "--cacert": command.caCertificatePath = argument
        case "--resolve": command.resolves.append(try Self.resolve(argument))
        case "--connect-to": command.connectTos.append(try Self.connectTo(argument))
        case "-H", "--header": command.headers.append(argument)
        case "-X", "--request": command.method = argument
        case "-d", "--data", "--data-binary":
            guard !argument.hasPrefix("@") else {
                throw .badArgument(
                    option: option,
                    argument: argument,
                    reason: "reading data from a file is not supported"
                )
            }
            command.data.append(argument)
        case "--data-raw": command.data.append(argument)
        case "-o", "--output": command.outputPath = argument
        case "-m", "--max-time": command.maxTime = try Self.seconds(option, argument)
        case "--connect-timeout": command.connectTimeout = try Self.seconds(option, argument)
        default: throw .unsupportedOption(option)
        }
    }

    private static func seconds(_ option: String, _ argument: String) throws(CurlCommandError) -> Double {
        guard let value = Double(argument), value.isFinite, value >= 0 else {
            throw .badArgument(option: option, argument: argument, reason: "not a number of seconds")
        }
        guard value <= 1_000_000 else {
            throw .badArgument(option: option, argument: argument, reason: "more than 1000000 seconds")
        }
        return value
    }

    /// `host:port:address`, where the address may be `[v6]` or a comma-separated list (the first is used).
    private static func resolve(_ argument: String) throws(CurlCommandError) -> CurlCommand.Resolve {
        let parts = argument.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else {
            throw .badArgument(option: "--resolve", argument: argument, reason: "expected HOST:PORT:ADDRESS")
        }
        var address = String(parts[2].split(separator: ",").first ?? "")
        if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        guard !address.isEmpty else {
            throw .badArgument(option: "--resolve", argument: argument, reason: "no address")
        }
        return CurlCommand.Resolve(host: String(parts[0]), port: port, address: address)
    }

    /// `host:port:toHost:toPort`; IPv6 hosts in brackets.
    private static func connectTo(_ argument: String) throws(CurlCommandError) -> CurlCommand.ConnectTo {
        var fields: [String] = []
        var current = ""
        var inBrackets = false
        for character in argument {
            switch character {
            case "[": inBrackets = true
            case "]": inBrackets = false
            case ":" where !inBrackets:
                fields.append(current)
                current = ""
            default: current.append(character)
            }
        }
        fields.append(current)
        func port(_ text: String) throws(CurlCommandError) -> Int? {
            guard !text.isEmpty else { return nil }
            guard let port = Int(text), (1...65535).contains(port) else {
                throw .badArgument(option: "--connect-to", argument: argument, reason: "port '\(text)' is not valid")
            }
            return port
        }
        guard fields.count == 4 else {
            throw .badArgument(option: "--connect-to", argument: argument, reason: "expected HOST1:PORT1:HOST2:PORT2")
        }
        return CurlCommand.ConnectTo(
            host: fields[0].isEmpty ? nil : fields[0],
            port: try port(fields[1]),
            toHost: fields[2].isEmpty ? nil : fields[2],
            toPort: try port(fields[3])
        )
    }
}

extension CurlCommand {
    /// A command for `url` with every option at its default.
    public init(url: CurlURL) { self.url = url }
}
