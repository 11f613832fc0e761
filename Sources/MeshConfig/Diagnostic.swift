/// Where a YAML document came from: the file (or `-` for standard input) and its 1-based position in it.
public struct DocumentOrigin: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var document: Int

    public init(file: String, document: Int) {
        self.file = file
        self.document = document
    }

    public var description: String { "\(file) document \(document)" }
}

/// One finding about a configuration document: an error (the document is rejected) or a warning (it is admitted).
///
/// Decoding, Istio's validation, FrontProxy's own support checks and the route compiler all report through this
/// type, so a user always sees the file, the document, the resource, the field path and the line when known.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    /// The finding itself; for validation these are Istio's exact texts.
    public var message: String
    public var origin: DocumentOrigin?
    public var resource: ResourceID?
    /// The field path inside the document, such as `spec.tls[0].match[0].snihosts`.
    public var path: String?
    /// 1-based line in the file, from the YAML node that was read.
    public var line: Int?

    public init(
        _ severity: Severity,
        _ message: String,
        origin: DocumentOrigin? = nil,
        resource: ResourceID? = nil,
        path: String? = nil,
        line: Int? = nil
    ) {
        self.severity = severity
        self.message = message
        self.origin = origin
        self.resource = resource
        self.path = path
        self.line = line
    }

    public static func error(_ message: String, path: String? = nil, line: Int? = nil) -> Diagnostic {
        Diagnostic(.error, message, path: path, line: line)
    }

    public static func warning(_ message: String, path: String? = nil, line: Int? = nil) -> Diagnostic {
        Diagnostic(.warning, message, path: path, line: line)
    }

    /// The same finding, placed in a document and a resource (keeps what is already set).
    func located(origin: DocumentOrigin?, resource: ResourceID?) -> Diagnostic {
        var copy = self
        copy.origin = copy.origin ?? origin
        copy.resource = copy.resource ?? resource
        return copy
    }

    /// `file:line: document N, Kind ns/name, path: message` — the parts that are known, compiler style.
    public var description: String {
        var location: [String] = []
        if let origin {
            location.append(line.map { "\(origin.file):\($0)" } ?? origin.file)
            location.append("document \(origin.document)")
        } else if let line {
            location.append("line \(line)")
        }
        if let resource { location.append(resource.description) }
        if let path, !path.isEmpty { location.append(path) }
        return location.isEmpty ? message : location.joined(separator: ", ") + ": " + message
    }
}

extension Array where Element == Diagnostic {
    var hasErrors: Bool { contains { $0.severity == .error } }
    var errors: [Diagnostic] { filter { $0.severity == .error } }
    var warnings: [Diagnostic] { filter { $0.severity == .warning } }
}
