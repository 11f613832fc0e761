import Foundation
import NIOCore

/// The state of one curl run as it goes: the verbose transcript, the outcome, and how to present it.
struct CurlRun {
    let command: CurlCommand
    let started: NIODeadline
    /// `--max-time` as a deadline.
    let deadline: NIODeadline?
    var exitCode: Int32 = 0
    var errorMessage: String?
    var response: HTTPResponse?
    /// Responses of earlier URLs of the same command, in order.
    private(set) var earlierResponses: [HTTPResponse] = []
    /// Every response before the current one, in order, with whether it was a redirect that was followed
    /// (curl prints a followed redirect's head with `-i`, never its body).
    private var transcript: [(response: HTTPResponse, followed: Bool)] = []
    var serverName: String?
    private var verboseLines: [String] = []

    init(command: CurlCommand) {
        self.command = command
        let started = NIODeadline.now()
        self.started = started
        deadline = command.maxTime.map { started + .milliseconds(Int64($0 * 1000)) }
    }

    var elapsedMilliseconds: Int { Int((NIODeadline.now() - started).nanoseconds / 1_000_000) }

    mutating func verbose(_ line: String) {
        if command.verbose { verboseLines.append(line) }
    }

    mutating func fail(exitCode: Int32, _ message: String) {
        guard self.exitCode == 0 else { return }
        self.exitCode = exitCode
        errorMessage = message
    }

    mutating func fail(_ error: ClientConnectionError, host: String, port: Int) {
        let failure = CurlFailure.from(error, host: host, port: port, elapsedMilliseconds: elapsedMilliseconds)
        fail(exitCode: failure.exitCode, failure.message)
    }

    /// The lines curl prints about the handshake and the server certificate.
    mutating func describeHandshake(_ options: ClientTLSOptions, _ negotiated: NegotiatedTLS, caFile: String?) {
        verbose("* ALPN: offers \(options.alpn.joined(separator: ","))")
        if let caFile { verbose("*  CAfile: \(caFile)") }
        verbose("* SSL connection using \(negotiated.protocolVersion) / \(negotiated.cipher ?? "-")")
        verbose(
            "* ALPN: "
                + (negotiated.alpn.map { "server accepted \($0)" }
                    ?? "server did not agree on a protocol. Uses default.")
        )
        if let certificate = negotiated.peerCertificate {
            verbose("* Server certificate:")
            verbose("*  subject: \(certificate.subject.replacingOccurrences(of: ", ", with: "; "))")
            verbose("*  start date: \(certificate.notBefore)")
            verbose("*  expire date: \(certificate.notAfter)")
            verbose("*  issuer: \(certificate.issuer.replacingOccurrences(of: ", ", with: "; "))")
        }
        verbose(
            options.verifiesPeer
                ? "*  SSL certificate verify ok." : "*  SSL certificate verify result: not checked (-k)"
        )
    }

    /// What curl adds after a certificate verification failure.
    static let verificationAdvice = """
        More details here: https://curl.se/docs/sslcerts.html

        curl failed to verify the legitimacy of the server and therefore could not
        establish a secure connection to it. To learn more about this situation and
        how to fix it, please visit the web page mentioned above.

        """

    /// The response to one URL is complete; the next URL's follows it.
    mutating func finishResponse() {
        if let response {
            earlierResponses.append(response)
            transcript.append((response, false))
        }
        response = nil
    }

    /// The response is a redirect that `-L` follows; the redirected request's response follows it.
    mutating func followedRedirect() {
        if let response { transcript.append((response, true)) }
        response = nil
    }

    /// Whether the server keeps the connection after the last response (curl reuses it then).
    var lastResponseKeepsConnection: Bool {
        guard let last = response ?? transcript.last?.response else { return false }
        return !last.closesConnection
    }

    /// The result, with stdout, stderr and (for `-o`) the output file as curl would produce them.
    mutating func result(connection: ClientConnection?) async -> CurlResult {
        var output: [UInt8] = []
        for (response, followed) in transcript + (response.map { [($0, false)] } ?? []) {
            if command.headOnly || command.includeHead { output += response.rawHead }
            if !command.headOnly && !followed { output += response.body }
        }
        if let path = command.outputPath, path != "/dev/null", exitCode == 0 || response != nil {
            do { try Data(output).write(to: URL(fileURLWithPath: path)) } catch {
                fail(exitCode: 23, "Failure writing output to destination")
            }
        }
        var stderr = verboseLines.map { $0 + "\n" }.joined()
        if let errorMessage, !command.silent || command.showError || command.verbose {
            stderr += "curl: (\(exitCode)) \(errorMessage)\n"
            if exitCode == 60 { stderr += Self.verificationAdvice }
        }
        let captured = await connection?.captured ?? (written: CapturedBytes.empty, read: CapturedBytes.empty)
        return CurlResult(
            exitCode: exitCode,
            errorMessage: errorMessage,
            response: exitCode == 0 ? response : nil,
            earlierResponses: earlierResponses,
            stdout: command.outputPath == nil ? output : [],
            stderr: stderr,
            connectedAddress: connection?.remoteAddress,
            serverName: serverName,
            tls: connection?.tls,
            written: captured.written,
            read: captured.read
        )
    }
}
