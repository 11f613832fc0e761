import DNSWire
import NIOCore

/// Reads the addresses for one question out of a validated response (pure, no I/O).
enum DNSAnswerExtraction {
    /// What a response says about the question.
    enum Outcome: Hashable {
        /// Addresses (port 0) and the smallest TTL of the records leading to them.
        case addresses([SocketAddress], ttl: UInt32)
        /// A final negative answer: asking another nameserver will not change it.
        case negative(ResolverError.Reason)
        /// This nameserver failed; another may do better.
        case retryable(ResolverError.Reason)
    }

    /// Follows CNAMEs from `name` through the answer section (at most `maximumCNAMEDepth` of them) and
    /// collects the records of `type` owned by the last name, in answer order.
    static func outcome(
        of response: DNSMessage,
        name: DNSName,
        type: DNSRecordType,
        maximumCNAMEDepth: Int
    ) -> Outcome {
        switch response.header.responseCode {
        case .noError: break
        case .nameError: return .negative(.nameError)
        case .serverFailure: return .retryable(.serverFailure)
        case let code: return .retryable(.responseCode(code))
        }
        var owner = name
        var ttl = UInt32.max
        for _ in 0...maximumCNAMEDepth {
            var addresses: [SocketAddress] = []
            for record in response.answers where record.name == owner && record.type == type {
                guard let address = socketAddress(record.data) else { continue }
                addresses.append(address)
                ttl = min(ttl, effectiveTTL(record.ttl))
            }
            if !addresses.isEmpty { return .addresses(addresses, ttl: ttl) }
            let alias = response.answers.first { $0.name == owner && $0.type == .cname }
            guard let alias, case .cname(let target) = alias.data else {
                return .negative(.noAddresses)
            }
            ttl = min(ttl, effectiveTTL(alias.ttl))
            owner = target
        }
        return .negative(.cnameChainTooLong(depth: maximumCNAMEDepth))
    }

    /// RFC 2181 §8: a TTL with the top bit set is read as 0.
    private static func effectiveTTL(_ ttl: UInt32) -> UInt32 {
        ttl > UInt32(Int32.max) ? 0 : ttl
    }

    private static func socketAddress(_ data: DNSRecordData) -> SocketAddress? {
        switch data {
        case .a(let address): try? SocketAddress(packedIPAddress: ByteBuffer(bytes: address.bytes), port: 0)
        case .aaaa(let address): try? SocketAddress(packedIPAddress: ByteBuffer(bytes: address.bytes), port: 0)
        default: nil
        }
    }
}
