/// Istio's `Port` message (`number`, `protocol`, `name`, `targetPort`), as a Gateway server and a
/// ServiceEntry both write it: one type and one decoder for both.
public struct IstioPort: Sendable, Hashable {
    public var number: Int
    public var `protocol`: String
    public var name: String
    public var targetPort: Int

    public init(number: Int, protocol: String = "", name: String, targetPort: Int = 0) {
        self.number = number
        self.protocol = `protocol`
        self.name = name
        self.targetPort = targetPort
    }
}
