/// The time format of `%START_TIME%` / `%START_TIME(pattern)%`: a strftime-like pattern with Envoy's
/// fractional-second extensions, compiled once so formatting a timestamp is a walk over a few pieces.
public struct StartTimeFormat: Hashable, Sendable {
    /// The pattern as written, or nil for Envoy's default (`2019-01-31T13:40:11.076Z`).
    public let pattern: String?
    private let pieces: [Piece]

    private enum Piece: Hashable {
        case literal(String)
        case year, month, day, spacePaddedDay, hour, minute, second, dayOfYear
        case secondsWithFraction(digits: Int)
        case fraction(digits: Int)
        case epochSeconds, utcOffset, zoneName, weekdayName, monthName
    }

    /// Envoy's default: `%Y-%m-%dT%H:%M:%E3SZ`.
    public static let envoyDefault = StartTimeFormat()

    private init() {
        pattern = nil
        pieces = [
            .year, .literal("-"), .month, .literal("-"), .day, .literal("T"), .hour, .literal(":"), .minute,
            .literal(":"), .secondsWithFraction(digits: 3), .literal("Z"),
        ]
    }

    /// Parses the `(pattern)` part of `%START_TIME(pattern)%`; an empty argument means the default.
    init(parsingArgument argument: Substring) throws(AccessLogFormatError) {
        guard !argument.isEmpty else {
            self = .envoyDefault
            return
        }
        guard argument.hasPrefix("("), argument.hasSuffix(")") else {
            throw .unsupportedCommand("START_TIME" + argument)
        }
        try self.init(pattern: String(argument.dropFirst().dropLast()))
    }

    /// Compiles a strftime-like pattern.
    public init(pattern: String) throws(AccessLogFormatError) {
        self.pattern = pattern
        var pieces: [Piece] = []
        var literal = ""
        var characters = pattern[...]
        while let character = characters.popFirst() {
            guard character == "%" else {
                literal.append(character)
                continue
            }
            var specifier = "%"
            var digits: Int?
            if let next = characters.first, let digit = next.wholeNumberValue, (1...9).contains(digit) {
                digits = digit
                specifier.append(characters.removeFirst())
            }
            let isExtended = characters.first == "E"
            if isExtended {
                specifier.append(characters.removeFirst())
                if let next = characters.first, let digit = next.wholeNumberValue, (0...9).contains(digit) {
                    digits = digit
                    specifier.append(characters.removeFirst())
                }
            }
            guard let letter = characters.popFirst() else { throw .unsupportedTimeSpecifier(specifier) }
            specifier.append(letter)
            let piece: Piece
            switch (letter, isExtended, digits) {
            case ("%", false, nil):
                literal.append("%")
                continue
            case ("Y", false, nil): piece = .year
            case ("m", false, nil): piece = .month
            case ("d", false, nil): piece = .day
            case ("e", false, nil): piece = .spacePaddedDay
            case ("H", false, nil): piece = .hour
            case ("M", false, nil): piece = .minute
            case ("S", false, nil): piece = .second
            case ("S", true, let digits?): piece = .secondsWithFraction(digits: digits)
            case ("j", false, nil): piece = .dayOfYear
            case ("f", false, let digits): piece = .fraction(digits: digits ?? 9)
            case ("f", true, nil): piece = .fraction(digits: 9)
            case ("s", false, nil): piece = .epochSeconds
            case ("z", false, nil): piece = .utcOffset
            case ("Z", false, nil): piece = .zoneName
            case ("a", false, nil): piece = .weekdayName
            case ("b", false, nil): piece = .monthName
            case ("F", false, nil):
                pieces.append(contentsOf: Self.flush(&literal))
                pieces += [.year, .literal("-"), .month, .literal("-"), .day]
                continue
            case ("T", false, nil):
                pieces.append(contentsOf: Self.flush(&literal))
                pieces += [.hour, .literal(":"), .minute, .literal(":"), .second]
                continue
            default: throw .unsupportedTimeSpecifier(specifier)
            }
            pieces.append(contentsOf: Self.flush(&literal))
            pieces.append(piece)
        }
        pieces.append(contentsOf: Self.flush(&literal))
        self.pieces = pieces
    }

    private static func flush(_ literal: inout String) -> [Piece] {
        defer { literal = "" }
        return literal.isEmpty ? [] : [.literal(literal)]
    }

    /// Formats `time` in UTC.
    public func format(_ time: WallClockTime) -> String {
        var bytes: [UInt8] = []
        format(time, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `time`, formatted in UTC, to `bytes`.
    func format(_ time: WallClockTime, into bytes: inout [UInt8]) {
        let civil = time.civil
        for piece in pieces {
            switch piece {
            case .literal(let text): bytes.append(text)
            case .year: bytes.append(decimal: civil.year, minimumWidth: 4)
            case .month: bytes.append(decimal: civil.month, minimumWidth: 2)
            case .day: bytes.append(decimal: civil.day, minimumWidth: 2)
            case .spacePaddedDay:
                if civil.day < 10 { bytes.append(UInt8(ascii: " ")) }
                bytes.append(decimal: civil.day)
            case .hour: bytes.append(decimal: civil.hour, minimumWidth: 2)
            case .minute: bytes.append(decimal: civil.minute, minimumWidth: 2)
            case .second: bytes.append(decimal: civil.second, minimumWidth: 2)
            case .dayOfYear: bytes.append(decimal: civil.dayOfYear, minimumWidth: 3)
            case .secondsWithFraction(let digits):
                bytes.append(decimal: civil.second, minimumWidth: 2)
                if digits > 0 {
                    bytes.append(UInt8(ascii: "."))
                    bytes.appendFraction(civil.nanosecond, digits: digits)
                }
            case .fraction(let digits): bytes.appendFraction(civil.nanosecond, digits: digits)
            case .epochSeconds: bytes.append(decimal: time.nanosecondsSinceEpoch / 1_000_000_000)
            case .utcOffset: bytes.append("+0000")
            case .zoneName: bytes.append("UTC")
            case .weekdayName: bytes.append(["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][Int(civil.weekday)])
            case .monthName:
                bytes.append(
                    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][
                        Int(civil.month - 1)
                    ]
                )
            }
        }
    }
}

extension [UInt8] {
    /// Appends the first `digits` digits of a nanosecond fraction (truncated, as Envoy does).
    fileprivate mutating func appendFraction(_ nanoseconds: Int64, digits: Int) {
        var divisor: Int64 = 1
        for _ in 0..<(9 - digits) { divisor *= 10 }
        append(decimal: nanoseconds / divisor, minimumWidth: digits)
    }
}
