/// A scenario file the harness cannot run: which file, where in it and what is wrong.
public struct ScenarioFileError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    /// 1-based line of the offending node, when known.
    public var line: Int?
    /// The field path, such as `steps[3].expect.status`; empty for the whole file.
    public var path: String
    public var message: String

    public init(file: String, line: Int?, path: String, message: String) {
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    /// `scenarios/x.yaml:12: steps[3].expect.status: expected an integer, found "ok"`
    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}
