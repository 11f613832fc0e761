import InternetAddress

/// IP address and CIDR checks with Istio's messages (`ValidateIPAddress`, `ValidateIPSubnet`).
enum IPAddress {
    static func isValid(_ address: String) -> Bool { IPLiteral.isValid(address) }

    static func isIPv4(_ address: String) -> Bool { IPLiteral.parseIPv4(address) != nil }

    /// `ValidateIPAddress`.
    static func validate(_ address: String) -> String? {
        isValid(address) ? nil : "\(address) is not a valid IP"
    }

    /// `ValidateIPSubnet`: `a.b.c.d/xx`, `2001:1::1/64`, or a plain address.
    static func validateSubnet(_ subnet: String) -> String? {
        let pieces = subnet.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2 else { return validate(subnet) }
        let address = String(pieces[0])
        let maxBits = isIPv4(address) ? 32 : 128
        guard isValid(address), let bits = Int(pieces[1]), (0...maxBits).contains(bits),
            pieces[1].allSatisfy(\.isNumber)
        else {
            return "\(subnet) is not a valid CIDR block"
        }
        return nil
    }
}
