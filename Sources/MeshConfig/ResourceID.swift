/// The identity of an applied resource, as with `kubectl`: kind, namespace and name.
public struct ResourceID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var kind: ResourceKind
    public var namespace: String
    public var name: String

    public init(kind: ResourceKind, namespace: String = ResourceMetadata.defaultNamespace, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// `VirtualService default/front-proxy`
    public var description: String { "\(kind.rawValue) \(namespace)/\(name)" }

    /// `virtualservice.networking.istio.io/front-proxy` or `service/my-nginx`, the way `kubectl` names it in
    /// its output.
    public var kubectlName: String { "\(kind.qualifiedName)/\(name)" }

    /// The namespace and name alone, for references between resources.
    public var ref: ResourceRef { ResourceRef(namespace: namespace, name: name) }

    public static func < (lhs: ResourceID, rhs: ResourceID) -> Bool {
        (lhs.kind.rawValue, lhs.namespace, lhs.name) < (rhs.kind.rawValue, rhs.namespace, rhs.name)
    }
}

/// A namespace and a name: how a route plan points back to the resource a listener, chain or cluster came from.
public struct ResourceRef: Sendable, Hashable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public var description: String { "\(namespace)/\(name)" }
}
