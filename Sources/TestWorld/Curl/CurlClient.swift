import Foundation
import NIOCore
import NIOPosix

/// Runs curl command lines with the harness's own HTTP/1.1 client and OpenSSL engine, over loopback only:
/// SNI from the URL host, the certificate verified against the scenario CA (or `--cacert`), curl's exit
/// codes and messages, and every raw byte captured.
public struct CurlClient: Sendable {
    /// The roots trusted when the command has no `--cacert` (the scenario CA).
    public var trustedRoots: [Certificate]
    /// Resolves names not covered by `--resolve` or `--connect-to`; nil resolves only IP literals and
    /// `localhost`.
    public var resolver: (any HostResolver)?
    /// Simulated addresses to real listening sockets (`127.0.10.1:443` to an ephemeral port).
    public var addressMap: AddressMap?
    /// Raw bytes kept per direction (digests cover all).
    public var captureCap: Int
    public var group: any EventLoopGroup
    /// Where a relative `--cacert` path is read from (a scenario's working directory); nil: the process's.
    public var workingDirectory: String?

    public init(
        trustedRoots: [Certificate] = [],
        resolver: (any HostResolver)? = nil,
        addressMap: AddressMap? = nil,
        captureCap: Int = ByteRecorder.defaultCap,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        workingDirectory: String? = nil
    ) {
        self.trustedRoots = trustedRoots
        self.resolver = resolver
        self.addressMap = addressMap
        self.captureCap = captureCap
        self.group = group
        self.workingDirectory = workingDirectory
    }

    /// Parses and runs `commandLine`, expanding `$VARIABLES` from `environment`.
    ///
    /// Throws for what the harness refuses (unsupported option, non-loopback address, unreadable
    /// `--cacert`); curl-level failures (refused, reset, bad certificate, ...) are results with exit codes.
    public func run(_ commandLine: String, environment: [String: String] = [:]) async throws -> CurlResult {
        try await run(CurlCommand(parsing: commandLine, environment: environment))
    }

    /// Runs a parsed command.
    public func run(_ command: CurlCommand) async throws -> CurlResult {
        var run = CurlRun(command: command)
        let roots =
            try command.caCertificatePath.map { path in
                try Self.loadRoots(path.hasPrefix("/") ? path : (workingDirectory.map { $0 + "/" } ?? "") + path)
            } ?? trustedRoots
        var connection: ClientConnection?
        var connectedURL: CurlURL?
        urls: for (index, url) in ([command.url] + command.moreURLs).enumerated() {
            if index > 0 { run.finishResponse() }
            var request = command
            request.url = url
            var redirects = 0
            while true {
                // A request to the scheme, host and port of the previous one reuses its connection while the
                // server keeps it, as curl does.
                if let open = connection, let previous = connectedURL, previous.sharesConnection(with: request.url),
                    run.lastResponseKeepsConnection
                {
                    run.verbose("* Re-using existing connection #0 with host \(request.url.host)")
                    connection = open
                } else {
                    if let open = connection { await Self.closeCompletely(open) }
                    connection = try await connect(request, roots: roots, run: &run)
                    connectedURL = request.url
                }
                guard let connection, run.exitCode == 0 else { break urls }
                await exchange(request, over: connection, run: &run)
                guard run.exitCode == 0, let response = run.response,
                    let location = response.headers["Location"],
                    let next = try request.redirected(by: response.status, location: location)
                else { break }
                redirects += 1
                if command.maximumRedirects >= 0 && redirects > command.maximumRedirects {
                    run.fail(exitCode: 47, "Maximum (\(command.maximumRedirects)) redirects followed")
                    break urls
                }
                run.verbose("* Issue another request to this URL: '\(next.url)'")
                run.followedRedirect()
                request = next
            }
        }
        if let connection { await Self.closeCompletely(connection) }
        return await run.result(connection: connection)
    }

    /// Opens a connection for `command`'s URL (TLS when it is https), or records why not in `run`.
    private func connect(
        _ command: CurlCommand,
        roots: [Certificate],
        run: inout CurlRun
    ) async throws -> ClientConnection? {
        guard let (ip, port) = try await connectTarget(command, run: &run) else { return nil }
        let simulated = try SimulatedAddress(ip: ip, port: port)
        let address = try addressMap?.realAddress(for: simulated) ?? simulated.socketAddress
        let tls = command.url.isTLS ? tlsOptions(command, roots: roots) : nil
        run.serverName = tls?.serverName
        run.verbose("*   Trying \(simulated)...")
        let connection: ClientConnection
        do {
            connection = try await ClientConnection.connect(
                to: address,
                tls: tls,
                connectTimeout: .milliseconds(Int64((command.connectTimeout ?? 300) * 1000)),
                deadline: run.deadline,
                captureCap: captureCap,
                group: group
            )
        } catch let error as ClientConnectionError {
            if case .refused = error {
                run.verbose("* connect to \(simulated.ip) port \(port) failed: Connection refused")
            }
            run.fail(error, host: command.url.host, port: port)
            return nil
        }
        run.verbose("* Connected to \(command.url.host) (\(simulated.ip)) port \(port) (#0)")
        if let tls, let negotiated = connection.tls {
            run.describeHandshake(tls, negotiated, caFile: command.caCertificatePath)
        }
        if let alpn = connection.tls?.alpn, alpn != "http/1.1" {
            run.errorMessage = "the harness's curl speaks HTTP/1.1 only, but the server chose \(alpn) (use --http1.1)"
            run.exitCode = 1
        }
        return connection
    }

    /// Sends the request and reads the response, recording the outcome in `run`.
    private func exchange(_ command: CurlCommand, over connection: ClientConnection, run: inout CurlRun) async {
        let (lines, _) = CurlRequest.build(command)
        for line in lines { run.verbose("> \(line)") }
        run.verbose(">")
        var parser = HTTPResponseParser(isHeadRequest: command.effectiveMethod == "HEAD")
        do {
            try await connection.send(CurlRequest.bytes(command))
            while true {
                guard let bytes = try await connection.read(deadline: run.deadline) else {
                    guard parser.receivedAnything else {
                        run.fail(exitCode: 52, "Empty reply from server")
                        return
                    }
                    do {
                        run.response = try parser.finish()
                    } catch {
                        run.fail(exitCode: 18, "transfer closed with outstanding read data remaining")
                        run.response = parser.head
                    }
                    break
                }
                if let response = try parser.feed(bytes) {
                    run.response = response
                    break
                }
            }
        } catch let error as ClientConnectionError {
            run.fail(error, host: command.url.host, port: command.url.port)
            return
        } catch {
            run.fail(exitCode: 8, "Weird server reply: \(error)")
            return
        }
        if let response = run.response {
            for line in String(decoding: response.rawHead, as: UTF8.self).split(separator: "\r\n") {
                run.verbose("< \(line)")
            }
            run.verbose("<")
            run.verbose("* Connection #0 to host \(command.url.host) left intact")
        }
    }

    /// Half-closes (close_notify and FIN), then reads until the peer closes too (bounded), so the capture
    /// holds the peer's last bytes (its close_notify) and matches what the peer wrote.
    private static func closeCompletely(_ connection: ClientConnection) async {
        try? await connection.closeOutput()
        _ = try? await connection.readToEnd(limit: 1 << 20, deadline: .now() + .seconds(2))
        await connection.close()
    }

    /// The IP and port to connect to, after `--connect-to`, `--resolve` and the resolver; nil (with exit
    /// code 6 in `run`) when the name does not resolve.
    private func connectTarget(_ command: CurlCommand, run: inout CurlRun) async throws -> (String, Int)? {
        var host = command.url.host
        var port = command.url.port
        if let rule = command.connectTos.first(where: {
            ($0.host == nil || $0.host?.lowercased() == host.lowercased()) && ($0.port == nil || $0.port == port)
        }) {
            host = rule.toHost ?? host
            port = rule.toPort ?? port
            run.verbose("* Connecting to hostname: \(host)")
        }
        if let entry = command.resolves.first(where: { $0.host.lowercased() == host.lowercased() && $0.port == port }) {
            run.verbose("* Added \(entry.host):\(entry.port):\(entry.address) to DNS cache")
            return (entry.address, port)
        }
        if LoopbackCheck.isIPLiteral(host) { return (host, port) }
        if host.lowercased() == "localhost" { return ("127.0.0.1", port) }
        if let resolver, let address = try? await resolver.addresses(of: host).first { return (address, port) }
        run.fail(exitCode: 6, "Could not resolve host: \(host)")
        return nil
    }

    private func tlsOptions(_ command: CurlCommand, roots: [Certificate]) -> ClientTLSOptions {
        ClientTLSOptions(
            serverName: command.url.hostIsIPLiteral ? nil : command.url.host,
            verifyName: command.url.host,
            alpn: command.http11Only ? ["http/1.1"] : ["h2", "http/1.1"],
            trustedRoots: roots,
            verifiesPeer: !command.insecure
        )
    }

    private static func loadRoots(_ path: String) throws -> [Certificate] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CurlCommandError.badCACertificate(path: path, reason: "cannot read it")
        }
        do { return try Certificate.parsePEM(text) } catch {
            throw CurlCommandError.badCACertificate(path: path, reason: "no PEM certificate in it")
        }
    }
}
