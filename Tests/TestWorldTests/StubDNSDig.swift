import Foundation

/// Runs the real `dig` (Debian `dnsutils`) against a loopback server and parses what it prints, so the stub
/// DNS server is checked by a client nobody here wrote.
struct StubDNSDig {
    struct Record: Equatable {
        var name: String
        var ttl: Int
        var type: String
        var data: String
    }

    /// `status:` of the header line, or nil when dig got no answer at all.
    var status: String?
    var flags: Set<String> = []
    var answers: [Record] = []
    var authorities: [Record] = []
    /// `UDP` or `TCP`, from the `;; SERVER:` line.
    var transport: String?
    /// dig saw TC=1 and asked again over TCP.
    var retriedOverTCP = false
    /// Everything dig printed, for failure messages.
    var output = ""

    static func query(
        port: Int,
        _ name: String,
        _ type: String = "A",
        options: [String] = []
    ) async throws -> StubDNSDig {
        let arguments = ["@127.0.0.1", "-p", String(port), name, type, "+tries=1", "+time=2"] + options
        return parse(try await StubDNSProcess.run("/usr/bin/dig", arguments))
    }

    static func parse(_ output: String) -> StubDNSDig {
        var result = StubDNSDig(output: output)
        var section: WritableKeyPath<StubDNSDig, [Record]>?
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(";; ->>HEADER<<-"), let range = line.range(of: "status: ") {
                result.status = String(line[range.upperBound...].prefix { $0 != "," })
            } else if line.hasPrefix(";; flags: "), let end = line.firstIndex(of: ";", after: 3) {
                result.flags = Set(
                    line[line.index(line.startIndex, offsetBy: 10)..<end].split(separator: " ").map(String.init)
                )
            } else if line.hasPrefix(";; SERVER: ") {
                result.transport = line.hasSuffix("(TCP)") ? "TCP" : line.hasSuffix("(UDP)") ? "UDP" : nil
            } else if line.hasPrefix(";; Truncated, retrying in TCP mode") {
                result.retriedOverTCP = true
            } else if line == ";; ANSWER SECTION:" {
                section = \.answers
            } else if line == ";; AUTHORITY SECTION:" {
                section = \.authorities
            } else if line.isEmpty || line.hasPrefix(";") {
                section = nil
            } else if let section {
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                if fields.count >= 5, let ttl = Int(fields[1]) {
                    result[keyPath: section].append(
                        Record(name: fields[0], ttl: ttl, type: fields[3], data: fields[4...].joined(separator: " "))
                    )
                }
            }
        }
        return result
    }
}

/// Runs a real program to completion and returns what it printed (stdout and stderr).
enum StubDNSProcess {
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        // The programs run here print a few kilobytes at most, well within a pipe's buffer.
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}

extension Substring {
    fileprivate func firstIndex(of character: Character, after offset: Int) -> Index? {
        self[index(startIndex, offsetBy: offset)...].firstIndex(of: character)
    }
}
