import DNSWire
import DNSWireNIO
import NIOCore
import NIOPosix

/// A DNS server for tests: answers A, AAAA and CNAME queries from a table over UDP and TCP on one loopback
/// address and port, with faults on demand per name, and counts the queries it gets.
///
/// The table, the faults and the counters may be changed and read from any thread while it runs.
public final class StubDNSServer: Sendable {
    /// The address and port both transports listen on.
    public let localAddress: SocketAddress
    private let state: StubDNSServerState
    private let udpChannel: any Channel
    private let tcpChannel: any Channel
    private let forgerChannel: any Channel

    /// How many times to look for a port free for both transports when `port` is 0.
    private static let bindAttempts = 8

    /// The port both transports listen on.
    public var port: Int { localAddress.port ?? 0 }

    private init(
        localAddress: SocketAddress,
        state: StubDNSServerState,
        udpChannel: any Channel,
        tcpChannel: any Channel,
        forgerChannel: any Channel
    ) {
        self.localAddress = localAddress
        self.state = state
        self.udpChannel = udpChannel
        self.tcpChannel = tcpChannel
        self.forgerChannel = forgerChannel
    }

    /// Starts a server on `host` (a loopback address) and `port` (0 picks a free port for both UDP and TCP).
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> StubDNSServer {
        try checkLoopback(host)
        let state = StubDNSServerState()
        let forger = try await DatagramBootstrap(group: group).bind(host: host, port: 0).get()
        do {
            // TCP picks the port: on a busy machine many ports are held by TCP TIME-WAIT sockets, which block a
            // TCP listener but not a UDP socket, so the other order rarely finds a common port.
            for _ in 0..<(port == 0 ? bindAttempts : 1) {
                let tcp = try await bindTCP(host: host, port: port, group: group, state: state)
                guard let address = tcp.localAddress, let boundPort = address.port else {
                    try? await tcp.close()
                    continue
                }
                do {
                    let udp = try await bindUDP(host: host, port: boundPort, group: group, state: state, forger: forger)
                    return StubDNSServer(
                        localAddress: address,
                        state: state,
                        udpChannel: udp,
                        tcpChannel: tcp,
                        forgerChannel: forger
                    )
                } catch let error as IOError where error.errnoCode == EADDRINUSE && port == 0 {
                    try? await tcp.close()
                } catch {
                    try? await tcp.close()
                    throw error
                }
            }
        } catch {
            try? await forger.close()
            throw error
        }
        try? await forger.close()
        throw StubDNSServerError.noCommonPort(host: host, attempts: bindAttempts)
    }

    private static func checkLoopback(_ host: String) throws {
        let isLoopback =
            (try? DNSIPv4Address(host).isLoopback) ?? (try? DNSIPv6Address(host).isLoopback) ?? false
        guard isLoopback else { throw StubDNSServerError.nonLoopbackAddress(host) }
    }

    private static func bindUDP(
        host: String,
        port: Int,
        group: any EventLoopGroup,
        state: StubDNSServerState,
        forger: any Channel
    ) async throws -> any Channel {
        try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StubDNSUDPHandler(state: state, forger: forger))
                }
            }
            .bind(host: host, port: port)
            .get()
    }

    private static func bindTCP(
        host: String,
        port: Int,
        group: any EventLoopGroup,
        state: StubDNSServerState
    ) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                state.register(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(StubDNSTCPHandler(state: state))
                }
            }
            .bind(host: host, port: port)
            .get()
    }

    // MARK: - The table

    /// Serves `records` for `name` from now on, replacing what it had; an empty list removes the name
    /// (queries for it then get NXDOMAIN).
    public func setRecords(_ records: [StubDNSRecord], for name: String) throws {
        state.setRecords(records, for: try DNSName(name))
    }

    /// Applies `fault` to every query for `name` from now on; nil answers normally again.
    public func setFault(_ fault: StubDNSFault?, for name: String) throws {
        state.setFault(fault, for: try DNSName(name))
    }

    /// The TTL of negative answers (NXDOMAIN, no answer) and their SOA minimum; 5 seconds unless set.
    public func setNegativeTTL(_ seconds: UInt32) {
        state.setNegativeTTL(seconds)
    }

    // MARK: - Counters

    /// How many well-formed queries named `name` arrived, over `transport` or over both when nil.
    public func queryCount(for name: String, transport: StubDNSTransport? = nil) throws -> Int {
        state.queryCount(for: try DNSName(name), transport: transport)
    }

    /// Forgets every count.
    public func resetQueryCounts() {
        state.resetQueryCounts()
    }

    // MARK: - Lifecycle

    /// Stops listening and closes open TCP connections.
    public func shutdown() async throws {
        try await udpChannel.close()
        try await tcpChannel.close()
        try await forgerChannel.close()
        for connection in state.tcpConnections {
            try? await connection.close()
        }
    }
}
