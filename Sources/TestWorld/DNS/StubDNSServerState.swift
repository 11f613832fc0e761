import DNSWire
import NIOCore
import Synchronization

/// The stub server's mutable state, shared by its channels and the test that changes it while it runs.
final class StubDNSServerState: Sendable {
    private struct Protected {
        var zone = StubDNSZone()
        var counts: [DNSName: [StubDNSTransport: Int]] = [:]
        var tcpConnections: [ObjectIdentifier: any Channel] = [:]
    }

    private let protected = Mutex(Protected())

    /// Counts the query and plans the reply; nil when nothing is to be sent.
    func plan(for bytes: [UInt8], over transport: StubDNSTransport) -> StubDNSZone.ReplyPlan? {
        guard let query = try? DNSMessage(decoding: bytes), !query.header.isResponse else {
            return StubDNSZone.formatErrorReply(to: bytes).map { StubDNSZone.ReplyPlan(reply: $0) }
        }
        return protected.withLock { state in
            if query.questions.count == 1, let name = query.questions.first?.name {
                state.counts[name, default: [:]][transport, default: 0] += 1
            }
            return state.zone.plan(for: query, over: transport)
        }
    }

    func setRecords(_ records: [StubDNSRecord], for name: DNSName) {
        protected.withLock { $0.zone.records[name] = records.isEmpty ? nil : records }
    }

    func setFault(_ fault: StubDNSFault?, for name: DNSName) {
        protected.withLock { $0.zone.faults[name] = fault }
    }

    func setNegativeTTL(_ ttl: UInt32) {
        protected.withLock { $0.zone.negativeTTL = ttl }
    }

    func queryCount(for name: DNSName, transport: StubDNSTransport?) -> Int {
        protected.withLock { state in
            let counts = state.counts[name] ?? [:]
            return transport.map { counts[$0] ?? 0 } ?? counts.values.reduce(0, +)
        }
    }

    func resetQueryCounts() {
        protected.withLock { $0.counts = [:] }
    }

    func register(_ connection: any Channel) {
        protected.withLock { $0.tcpConnections[ObjectIdentifier(connection)] = connection }
        connection.closeFuture.whenComplete { [self] _ in
            protected.withLock { _ = $0.tcpConnections.removeValue(forKey: ObjectIdentifier(connection)) }
        }
    }

    var tcpConnections: [any Channel] {
        protected.withLock { Array($0.tcpConnections.values) }
    }
}
