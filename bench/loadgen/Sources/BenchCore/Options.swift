/// The `--name value` and `--flag` options of one command, checked against the names it knows. Small on
/// purpose: the bench package depends on SwiftNIO only.
public struct Options: Sendable {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    /// Reads `arguments`; `valued` names options that take a value, `flags` those that do not.
    public init(_ arguments: [String], valued: Set<String>, flags knownFlags: Set<String>) throws(BenchError) {
        var index = 0
        while index < arguments.count {
            let name = arguments[index]
            if knownFlags.contains(name) {
                flags.insert(name)
            } else if valued.contains(name) {
                index += 1
                guard index < arguments.count else { throw .missingValue(option: name) }
                values[name] = arguments[index]
            } else {
                throw .unknownOption(name)
            }
            index += 1
        }
    }

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    public func string(_ name: String) -> String? { values[name] }

    public func requiredString(_ name: String) throws(BenchError) -> String {
        guard let value = values[name] else { throw .missingOption(name) }
        return value
    }

    /// An integer option in `range`, or `defaultValue` when absent. Accepts K/M/G suffixes (powers of 1024).
    public func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(BenchError) -> Int {
        guard let text = values[name] else { return defaultValue }
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(text)
        var multiplier = 1
        if let last = digits.last, let found = multipliers[Character(last.uppercased())] {
            multiplier = found
            digits = digits.dropLast()
        }
        guard let number = Int(digits) else {
            throw .invalidValue(option: name, value: text, reason: "not an integer")
        }
        let (value, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow, range.contains(value) else {
            throw .invalidValue(option: name, value: text, reason: "outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// A number of seconds in `range`, or `defaultValue` when absent.
    public func seconds(
        _ name: String,
        default defaultValue: Double,
        in range: ClosedRange<Double>
    ) throws(BenchError)
        -> Double
    {
        guard let text = values[name] else { return defaultValue }
        guard let value = Double(text), value.isFinite else {
            throw .invalidValue(option: name, value: text, reason: "not a number of seconds")
        }
        guard range.contains(value) else {
            throw .invalidValue(option: name, value: text, reason: "outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }
}
