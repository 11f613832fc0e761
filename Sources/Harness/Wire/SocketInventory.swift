import Foundation
import FrontProxy

/// The TCP sockets this process holds open: inodes from `/proc/self/fd`, addresses from `/proc/net/tcp`
/// and `/proc/net/tcp6`. A scenario owns the sockets that touch its own gateway IP or its upstreams'
/// ports, so the check stays valid while other scenarios run in parallel in the same process.
public enum SocketInventory {
    public struct Socket: Hashable, Sendable, CustomStringConvertible {
        public var local: EndpointAddress
        public var remote: EndpointAddress
        /// The kernel's TCP state number (10 is LISTEN, 6 TIME_WAIT).
        public var state: Int

        public var isListening: Bool { state == 0x0A }
        public var isTimeWait: Bool { state == 0x06 }

        public var description: String {
            isListening ? "listening socket \(local)" : "socket \(local) → \(remote) (\(stateName))"
        }

        private var stateName: String {
            let names = [
                1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2", 6: "TIME_WAIT",
                7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING",
            ]
            return names[state] ?? "state \(state)"
        }
    }

    /// Whether the inventory can be taken here (Linux with /proc).
    static var isAvailable: Bool { FileManager.default.fileExists(atPath: "/proc/self/fd") }

    /// Every TCP socket the process has a file descriptor for.
    static func openTCPSockets() -> [Socket] {
        let inodes = socketInodes()
        guard !inodes.isEmpty else { return [] }
        return (table("/proc/net/tcp") + table("/proc/net/tcp6")).compactMap { inode, socket in
            inodes.contains(inode) ? socket : nil
        }
    }

    /// Every TCP socket on the machine (this network namespace), of any process.
    public static func machineTCPSockets() -> [Socket] {
        (table("/proc/net/tcp") + table("/proc/net/tcp6")).map(\.1)
    }

    private static func socketInodes() -> Set<Int> {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return [] }
        var inodes: Set<Int> = []
        for entry in entries {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)"),
                target.hasPrefix("socket:["), target.hasSuffix("]"),
                let inode = Int(target.dropFirst("socket:[".count).dropLast())
            else { continue }
            inodes.insert(inode)
        }
        return inodes
    }

    private static func table(_ path: String) -> [(Int, Socket)] {
        // Read to the end of file: Foundation's String(contentsOfFile:) stops after the first page of a
        // /proc file (its size is reported as 0), which hides every socket past the first 27 or so.
        guard let data = FileHandle(forReadingAtPath: path)?.readDataToEndOfFile() else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count >= 10, let local = address(fields[1]), let remote = address(fields[2]),
                let state = Int(fields[3], radix: 16), let inode = Int(fields[9])
            else { return nil }
            return (inode, Socket(local: local, remote: remote, state: state))
        }
    }

    /// `0100007F:1F90` (IPv4, each 32-bit word in host byte order) or the 32-digit IPv6 form.
    static func address(_ text: Substring) -> EndpointAddress? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1], radix: 16), parts[0].count % 8 == 0 else { return nil }
        let hex = Array(parts[0])
        var bytes: [UInt8] = []
        for word in stride(from: 0, to: hex.count, by: 8) {
            var wordBytes: [UInt8] = []
            for offset in stride(from: 0, to: 8, by: 2) {
                guard let byte = UInt8(String(hex[word + offset..<word + offset + 2]), radix: 16) else { return nil }
                wordBytes.append(byte)
            }
            bytes += wordBytes.reversed()
        }
        return EndpointAddress(addressBytes: bytes, port: port)
    }
}
