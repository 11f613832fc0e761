import InternetAddress

/// An IP address and port as the access log and telemetry print them (`172.217.31.132:443`,
/// `[::1]:443`), keeping the raw address bytes that Mixer-style telemetry base64-encodes.
public struct EndpointAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address bytes, big-endian, kept inline (an array would cost allocations on every connection):
    /// IPv4 in the low 32 bits of `low`.
    private var high: UInt64
    private var low: UInt64
    public private(set) var isIPv6: Bool
    public var port: Int

    public init?(addressBytes: some Collection<UInt8>, port: Int) {
        guard addressBytes.count == 4 || addressBytes.count == 16, (0...65535).contains(port) else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in addressBytes.enumerated() {
            if addressBytes.count == 16 && index < 8 {
                high = high << 8 | UInt64(byte)
            } else {
                low = low << 8 | UInt64(byte)
            }
        }
        self.high = high
        self.low = low
        isIPv6 = addressBytes.count == 16
        self.port = port
    }

    /// The raw address: 4 bytes for IPv4, 16 for IPv6.
    public var addressBytes: [UInt8] {
        let count = isIPv6 ? 16 : 4
        return (0..<count).map { index in
            let value = isIPv6 && index < 8 ? high : low
            let shift = 8 * (isIPv6 ? 7 - index % 8 : 3 - index)
            return UInt8(truncatingIfNeeded: value >> UInt64(shift))
        }
    }

    /// Writes the raw address (4 or 16 bytes, network order) to the start of `buffer`, without an array.
    func copyAddressBytes(into buffer: UnsafeMutableRawBufferPointer) {
        if isIPv6 {
            buffer.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            buffer.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
        } else {
            buffer.storeBytes(of: UInt32(truncatingIfNeeded: low).bigEndian, toByteOffset: 0, as: UInt32.self)
        }
    }

    /// Parses `IPv4:port` or `[IPv6]:port`.
    public init?(_ text: String) {
        guard let hostPort = try? HostPort(parsing: text), let bytes = IPLiteral.parse(hostPort.host) else {
            return nil
        }
        self.init(addressBytes: bytes, port: hostPort.port)
    }

    /// The address without the port (`172.217.31.132`, `::1`).
    public var host: String {
        var bytes: [UInt8] = []
        appendHost(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String {
        var bytes: [UInt8] = []
        appendDescription(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `host` as text. IPv4 is written digit by digit: access-log lines print several addresses per
    /// connection.
    func appendHost(to bytes: inout [UInt8]) {
        guard !isIPv6 else {
            bytes.append(contentsOf: IPLiteral.format(addressBytes).utf8)
            return
        }
        for shift in stride(from: 24, through: 0, by: -8) {
            if shift != 24 { bytes.append(UInt8(ascii: ".")) }
            bytes.append(decimal: Int64((low >> UInt64(shift)) & 0xFF))
        }
    }

    /// Appends `description` (`host:port`, `[host]:port` for IPv6).
    func appendDescription(to bytes: inout [UInt8]) {
        if isIPv6 { bytes.append(UInt8(ascii: "[")) }
        appendHost(to: &bytes)
        if isIPv6 { bytes.append(UInt8(ascii: "]")) }
        bytes.append(UInt8(ascii: ":"))
        bytes.append(decimal: Int64(port))
    }
}
