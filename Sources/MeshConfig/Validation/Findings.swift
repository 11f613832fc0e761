/// Collects validation errors and warnings, each with the field path it is about.
struct Findings {
    private(set) var diagnostics: [Diagnostic] = []

    /// Records an error; a nil message (a check that passed) records nothing.
    mutating func error(_ message: String?, at path: String) {
        if let message { diagnostics.append(.error(message, path: path)) }
    }

    mutating func warning(_ message: String?, at path: String) {
        if let message { diagnostics.append(.warning(message, path: path)) }
    }

    mutating func append(_ other: Findings) {
        diagnostics += other.diagnostics
    }
}

/// Istio's validation of its three kinds, with Istio's exact message texts (`pkg/config/validation`).
public enum IstioValidation {
    /// Errors reject the resource; warnings are reported and the resource is admitted.
    public static func validate(_ resource: Resource) -> [Diagnostic] {
        switch resource {
        case .gateway(let gateway): validate(gateway)
        case .virtualService(let virtualService): validate(virtualService)
        case .serviceEntry(let serviceEntry): validate(serviceEntry)
        case .service, .endpointSlice: []
        }
    }
}
