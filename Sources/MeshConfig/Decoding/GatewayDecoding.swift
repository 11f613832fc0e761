extension Gateway {
    static let specFields = FieldSet(["servers", "selector"])

    init(metadata: ResourceMetadata, _ reader: inout YAMLReader, _ spec: YAMLObject) {
        self.init(
            metadata: metadata,
            servers: reader.messages(spec, "servers", fields: Server.fields, Server.init),
            selector: reader.stringMap(spec, "selector")
        )
    }
}

extension Gateway.Server {
    static let fields = FieldSet(["port", "bind", "hosts", "tls", "name", "defaultEndpoint"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(
            port: reader.message(object, "port", fields: Gateway.Port.fields, Gateway.Port.init),
            bind: reader.string(object, "bind"),
            hosts: reader.strings(object, "hosts"),
            tls: reader.message(object, "tls", fields: Gateway.TLSSettings.fields, Gateway.TLSSettings.init),
            name: reader.string(object, "name"),
            defaultEndpoint: reader.string(object, "defaultEndpoint")
        )
    }
}

extension Gateway.TLSSettings {
    static let fields = FieldSet([
        "httpsRedirect", "mode", "serverCertificate", "privateKey", "caCertificates", "caCrl", "credentialName",
        "credentialNames", "caCertCredentialName", "tlsCertificates", "subjectAltNames", "verifyCertificateSpki",
        "verifyCertificateHash", "minProtocolVersion", "maxProtocolVersion", "cipherSuites", "insecureSkipVerify",
    ])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init()
        httpsRedirect = reader.bool(object, "httpsRedirect") ?? false
        mode = reader.enumeration(object, "mode", Gateway.TLSMode.self) ?? .passthrough
        serverCertificate = reader.string(object, "serverCertificate")
        privateKey = reader.string(object, "privateKey")
        caCertificates = reader.string(object, "caCertificates")
        caCrl = reader.string(object, "caCrl")
        credentialName = reader.string(object, "credentialName")
        credentialNames = reader.strings(object, "credentialNames")
        caCertCredentialName = reader.string(object, "caCertCredentialName")
        tlsCertificates = reader.messages(
            object,
            "tlsCertificates",
            fields: Gateway.TLSCertificate.fields,
            Gateway.TLSCertificate.init
        )
        subjectAltNames = reader.strings(object, "subjectAltNames")
        verifyCertificateSpki = reader.strings(object, "verifyCertificateSpki")
        verifyCertificateHash = reader.strings(object, "verifyCertificateHash")
        minProtocolVersion = reader.enumeration(object, "minProtocolVersion", Gateway.TLSProtocolVersion.self) ?? .auto
        maxProtocolVersion = reader.enumeration(object, "maxProtocolVersion", Gateway.TLSProtocolVersion.self) ?? .auto
        cipherSuites = reader.strings(object, "cipherSuites")
        insecureSkipVerify = reader.bool(object, "insecureSkipVerify")
    }
}

extension Gateway.TLSCertificate {
    static let fields = FieldSet(["serverCertificate", "privateKey", "caCertificates"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init()
        serverCertificate = reader.string(object, "serverCertificate")
        privateKey = reader.string(object, "privateKey")
        caCertificates = reader.string(object, "caCertificates")
    }
}
