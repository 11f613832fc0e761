import DNSWire
import NIOCore

/// One resolution of one name: the queries for each family, across nameservers and attempts, with TCP
/// after a truncated answer.
struct DNSLookup: Sendable {
    let host: String
    let name: DNSName
    let nameservers: [SocketAddress]
    let configuration: DNSResolver.Configuration
    let state: DNSResolverState
    let eventLoop: any EventLoop

    /// Addresses and the smallest TTL, in seconds, of the records that gave them.
    typealias Found = (addresses: [SocketAddress], ttl: UInt32)

    func run() -> EventLoopFuture<Found> {
        switch configuration.addressFamily {
        case .v4Only:
            return query(.a)
        case .v6Only:
            return query(.aaaa)
        case .all:
            // Both at once; either family having addresses is a success, IPv4 first.
            return EventLoopFuture.whenAllComplete([query(.a), query(.aaaa)], on: eventLoop)
                .flatMapThrowing { results in
                    var found: Found = ([], .max)
                    var firstError: (any Error)?
                    for result in results {
                        switch result {
                        case .success(let family):
                            found.addresses += family.addresses
                            found.ttl = min(found.ttl, family.ttl)
                        case .failure(let error):
                            firstError = firstError ?? error
                        }
                    }
                    guard !found.addresses.isEmpty else { throw firstError ?? failure(.noAddresses, nil) }
                    return found
                }
        }
    }

    /// The nameservers in the order they are tried: the list, `attempts` times over.
    private var schedule: [SocketAddress] {
        Array(repeatElement(nameservers, count: max(1, configuration.attempts)).joined())
    }

    private func query(_ type: DNSRecordType) -> EventLoopFuture<Found> {
        attempt(type, index: 0, lastError: nil)
    }

    private func attempt(_ type: DNSRecordType, index: Int, lastError: ResolverError?) -> EventLoopFuture<Found> {
        let schedule = self.schedule
        guard index < schedule.count, !state.isShutDown else {
            let error = state.isShutDown ? failure(.shutdown, nil) : lastError ?? failure(.noNameservers, nil)
            return eventLoop.makeFailedFuture(error)
        }
        let nameserver = schedule[index]
        return exchange(type, with: nameserver)
            .map { response in
                DNSAnswerExtraction.outcome(
                    of: response,
                    name: name,
                    type: type,
                    maximumCNAMEDepth: configuration.maximumCNAMEDepth
                )
            }
            .recover { error in .retryable(Self.reason(for: error)) }
            .flatMap { outcome in
                switch outcome {
                case .addresses(let addresses, let ttl):
                    eventLoop.makeSucceededFuture((addresses, ttl))
                case .negative(let reason):
                    eventLoop.makeFailedFuture(failure(reason, nameserver))
                case .retryable(let reason):
                    attempt(type, index: index + 1, lastError: failure(reason, nameserver))
                }
            }
    }

    /// UDP first; TCP to the same nameserver when the UDP answer is truncated.
    private func exchange(_ type: DNSRecordType, with nameserver: SocketAddress) -> EventLoopFuture<DNSMessage> {
        let timeout = configuration.queryTimeout
        let query = DNSMessage.query(id: .random(in: .min ... .max), name: name, type: type)
        return DNSExchange.udp(query, to: nameserver, on: eventLoop, timeout: timeout, state: state)
            .flatMap { [state, eventLoop] response in
                guard response.header.isTruncated else { return eventLoop.makeSucceededFuture(response) }
                let retry = DNSMessage.query(id: .random(in: .min ... .max), name: name, type: type)
                return DNSExchange.tcp(retry, to: nameserver, on: eventLoop, timeout: timeout, state: state)
            }
    }

    private func failure(_ reason: ResolverError.Reason, _ nameserver: SocketAddress?) -> ResolverError {
        ResolverError(name: host, nameserver: nameserver, reason: reason)
    }

    private static func reason(for error: any Error) -> ResolverError.Reason {
        switch error {
        case DNSExchangeError.timeout: .timeout
        case DNSExchangeError.malformed(let wireError): .malformedResponse(wireError.description)
        case DNSExchangeError.closedWithoutAnswer: .connectionFailed("connection closed without an answer")
        case DNSExchangeError.shutDown: .shutdown
        case let error: .connectionFailed("\(error)")
        }
    }
}
