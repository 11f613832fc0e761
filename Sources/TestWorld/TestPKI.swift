import COpenSSL
import Foundation

/// A private key owned by OpenSSL (`EVP_PKEY`).
public final class PrivateKey: @unchecked Sendable {
    // Immutable after creation; OpenSSL's EVP_PKEY is safe to share read-only across threads.
    let pointer: OpaquePointer

    /// The key algorithms the test PKI can mint.
    public enum Algorithm: String, Sendable, CaseIterable {
        case ecdsaP256 = "ecdsa"
        case rsa2048 = "rsa"
    }

    /// Generates a fresh key.
    public init(_ algorithm: Algorithm) throws(OpenSSLError) {
        switch algorithm {
        case .ecdsaP256: pointer = try requireNonNil(COpenSSL_EVP_EC_gen("P-256"), "generate P-256 key")
        case .rsa2048: pointer = try requireNonNil(COpenSSL_EVP_RSA_gen(2048), "generate RSA-2048 key")
        }
    }

    deinit { EVP_PKEY_free(pointer) }

    /// The key in PKCS#8 PEM, for tools such as `openssl s_server -key`.
    public var pem: String {
        get throws(OpenSSLError) {
            try withMemoryBIO { bio throws(OpenSSLError) in
                try requireSuccess(
                    PEM_write_bio_PrivateKey(bio, pointer, nil, nil, 0, nil, nil),
                    "write private key PEM"
                )
            }
        }
    }
}

/// An X.509 certificate owned by OpenSSL (`X509`).
public final class Certificate: @unchecked Sendable {
    // Immutable after signing; a signed X509 is safe to share read-only across threads.
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }
    deinit { X509_free(pointer) }

    /// The subject as `CN=www.google.com` (RDNs in certificate order, joined by `, `).
    public var subject: String { Self.render(X509_get_subject_name(pointer)) }

    /// The issuer, rendered like `subject`.
    public var issuer: String { Self.render(X509_get_issuer_name(pointer)) }

    /// The certificate in PEM, for tools such as `curl --cacert` or `openssl s_server -cert`.
    public var pem: String {
        get throws(OpenSSLError) {
            try withMemoryBIO { bio throws(OpenSSLError) in
                try requireSuccess(PEM_write_bio_X509(bio, pointer), "write certificate PEM")
            }
        }
    }

    /// Every certificate in a PEM text (a CA bundle), in order.
    public static func parsePEM(_ text: String) throws(OpenSSLError) -> [Certificate] {
        let bytes = Array(text.utf8)
        let bio = try requireNonNil(
            bytes.withUnsafeBufferPointer { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) },
            "read PEM"
        )
        defer { BIO_free(bio) }
        var certificates: [Certificate] = []
        while let x509 = PEM_read_bio_X509(bio, nil, nil, nil) {
            certificates.append(Certificate(taking: x509))
        }
        // Reading stops with "no start line" at the end of the text; only an empty result is an error.
        let reasons = OpenSSLError.drainErrorQueue()
        guard !certificates.isEmpty else { throw OpenSSLError(operation: "read PEM certificates", reasons: reasons) }
        return certificates
    }

    /// The first moment the certificate is valid, as OpenSSL prints it (`Nov 27 00:35:00 2026 GMT`).
    public var notBefore: String { Self.render(time: X509_get0_notBefore(pointer)) }

    /// The last moment the certificate is valid, printed like `notBefore`.
    public var notAfter: String { Self.render(time: X509_get0_notAfter(pointer)) }

    private static func render(time: UnsafePointer<ASN1_TIME>?) -> String {
        guard let time, let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard ASN1_TIME_print(bio, time) == 1 else { return "" }
        var chunk = [UInt8](repeating: 0, count: 64)
        let count = BIO_read(bio, &chunk, Int32(chunk.count))
        return String(decoding: chunk[..<Int(max(0, count))], as: UTF8.self)
    }

    static func render(_ name: OpaquePointer?) -> String {
        guard let name else { return "" }
        return (0..<X509_NAME_entry_count(name)).compactMap { index -> String? in
            guard let entry = X509_NAME_get_entry(name, index),
                let data = X509_NAME_ENTRY_get_data(entry),
                let bytes = ASN1_STRING_get0_data(data),
                let shortName = OBJ_nid2sn(OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry)))
            else { return nil }
            let value = String(
                decoding: UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(data))),
                as: UTF8.self
            )
            return String(cString: shortName) + "=" + value
        }.joined(separator: ", ")
    }
}

/// A certificate with its private key and the chain a server sends after it.
public struct TLSIdentity: Sendable {
    public var certificate: Certificate
    public var key: PrivateKey
    public var chain: [Certificate]
}

/// A certificate authority minted at run time; it signs leaf certificates for the fake upstreams.
public struct CertificateAuthority: Sendable {
    /// The CA's self-signed certificate: what clients trust.
    public let certificate: Certificate
    private let key: PrivateKey

    /// Mints a new self-signed CA with `commonName`.
    public init(
        commonName: String = "FrontProxy Test CA",
        algorithm: PrivateKey.Algorithm = .ecdsaP256
    )
        throws(OpenSSLError)
    {
        let key = try PrivateKey(algorithm)
        let certificate = try CertificateBuilder(subject: commonName, key: key, validity: .standard)
            .sign(
                extensions: [
                    (NID_basic_constraints, "critical,CA:TRUE"),
                    (NID_key_usage, "critical,keyCertSign,cRLSign"),
                    (NID_subject_key_identifier, "hash"),
                ],
                issuer: nil,
                issuerKey: key
            )
        self.certificate = certificate
        self.key = key
    }

    /// Issues a server leaf certificate.
    ///
    /// - Parameters:
    ///   - commonName: the subject CN (defaults to the first DNS name).
    ///   - dnsNames: DNS subject alternative names; wildcards such as `*.example.com` are allowed.
    ///   - ipAddresses: IP subject alternative names, e.g. `127.0.0.1`.
    ///   - validity: when the certificate is valid; `.expired` mints one that expired yesterday.
    ///   - algorithm: the leaf's key type.
    public func issueServerCertificate(
        commonName: String? = nil,
        dnsNames: [String],
        ipAddresses: [String] = [],
        validity: Validity = .standard,
        algorithm: PrivateKey.Algorithm = .ecdsaP256
    ) throws(OpenSSLError) -> TLSIdentity {
        let key = try PrivateKey(algorithm)
        let alternativeNames = (dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" })
            .joined(separator: ",")
        var extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature,keyEncipherment"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid:always"),
        ]
        if !alternativeNames.isEmpty { extensions.append((NID_subject_alt_name, alternativeNames)) }
        let certificate = try CertificateBuilder(
            subject: commonName ?? dnsNames.first ?? ipAddresses.first ?? "localhost",
            key: key,
            validity: validity
        ).sign(extensions: extensions, issuer: self.certificate, issuerKey: self.key)
        return TLSIdentity(certificate: certificate, key: key, chain: [])
    }
}

/// When a minted certificate is valid.
public struct Validity: Sendable, Hashable {
    /// Seconds from now (negative: in the past).
    public var notBefore: Int
    public var notAfter: Int

    public init(notBefore: Int, notAfter: Int) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// From an hour ago for thirty days.
    public static let standard = Validity(notBefore: -3600, notAfter: 30 * 86400)
    /// Expired yesterday.
    public static let expired = Validity(notBefore: -2 * 86400, notAfter: -86400)
}

/// Fills in and signs one `X509`.
private struct CertificateBuilder {
    var subject: String
    var key: PrivateKey
    var validity: Validity

    func sign(
        extensions: [(Int32, String)],
        issuer: Certificate?,
        issuerKey: PrivateKey
    ) throws(OpenSSLError)
        -> Certificate
    {
        let x509 = try requireNonNil(X509_new(), "allocate certificate")
        let certificate = Certificate(taking: x509)
        try requireSuccess(X509_set_version(x509, Int(X509_VERSION_3)), "set certificate version")
        try requireSuccess(
            ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), UInt64.random(in: 1...(UInt64.max >> 1))),
            "set serial number"
        )
        _ = try requireNonNil(X509_gmtime_adj(X509_getm_notBefore(x509), validity.notBefore), "set notBefore")
        _ = try requireNonNil(X509_gmtime_adj(X509_getm_notAfter(x509), validity.notAfter), "set notAfter")
        try requireSuccess(X509_set_pubkey(x509, key.pointer), "set public key")
        let name = X509_get_subject_name(x509)
        try requireSuccess(
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, subject, -1, -1, 0),
            "set subject CN=\(subject)"
        )
        let issuerX509 = issuer?.pointer ?? x509
        try requireSuccess(X509_set_issuer_name(x509, X509_get_subject_name(issuerX509)), "set issuer")

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuerX509, x509, nil, nil, 0)
        for (nid, value) in extensions {
            let ext = try requireNonNil(X509V3_EXT_conf_nid(nil, &context, nid, value), "build extension \(value)")
            defer { X509_EXTENSION_free(ext) }
            try requireSuccess(X509_add_ext(x509, ext, -1), "add extension \(value)")
        }
        try requireSuccess(X509_sign(x509, issuerKey.pointer, EVP_sha256()), "sign certificate for \(subject)")
        return certificate
    }
}

/// Runs `write` against a fresh memory BIO and returns what it wrote, as text.
private func withMemoryBIO(_ write: (OpaquePointer) throws(OpenSSLError) -> Void) throws(OpenSSLError) -> String {
    let bio = try requireNonNil(BIO_new(BIO_s_mem()), "allocate memory BIO")
    defer { BIO_free(bio) }
    try write(bio)
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while case let count = BIO_read(bio, &chunk, Int32(chunk.count)), count > 0 {
        output.append(contentsOf: chunk[..<Int(count)])
    }
    return String(decoding: output, as: UTF8.self)
}
