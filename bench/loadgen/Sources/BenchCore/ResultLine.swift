/// One measurement printed as a single `key=value` line (keys in the order given), the format `bench/run.sh`
/// parses. Values never contain spaces.
public struct ResultLine: Sendable, CustomStringConvertible {
    private var fields: [(String, String)] = []

    public init() {}

    public mutating func add(_ key: String, _ value: String) {
        fields.append((key, value.replacingSpaces()))
    }

    public mutating func add(_ key: String, _ value: Int) { add(key, String(value)) }

    /// Adds a number with three decimals.
    public mutating func add(_ key: String, _ value: Double) {
        let scaled = (value * 1000).rounded()
        guard scaled.isFinite, abs(scaled) < 1e15 else { return add(key, "nan") }
        let whole = Int(scaled)
        let sign = whole < 0 ? "-" : ""
        let magnitude = abs(whole)
        let fraction = String(magnitude % 1000)
        add(key, "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)")
    }

    public var description: String { fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ") }
}

extension String {
    fileprivate func replacingSpaces() -> String {
        String(map { $0 == " " ? "_" : $0 })
    }
}
