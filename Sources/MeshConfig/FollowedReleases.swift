/// The upstream releases whose behaviour FrontProxy follows, for `frontproxy --version` and the README.
public enum FollowedReleases {
    /// The Istio release whose `pkg/config/validation` defaults and texts, `pilot/pkg/model` ordering and
    /// service registry FrontProxy follows: the newest GA release (1.31 is at a release candidate). Its
    /// defaults include IP auto-allocation for ServiceEntries (on since 1.25) and ExternalName Services as
    /// aliases (on since 1.22).
    public static let istio = "1.30.3"
    /// The Kubernetes release whose API server validation messages FrontProxy gives for Services and
    /// EndpointSlices: the `k8s.io/apimachinery` line Istio 1.30 is built against.
    public static let kubernetes = "1.35"

    /// `0.1.0 (Istio 1.30.3, Kubernetes 1.35)`
    public static func versionLine(frontProxy version: String) -> String {
        "\(version) (follows Istio \(istio) and the Kubernetes \(kubernetes) API server)"
    }
}
