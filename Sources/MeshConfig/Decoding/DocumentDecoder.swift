import Yams

/// What decoding made of one document (or one item of a `kind: List`).
enum DecodedDocument {
    case resource(ResourceDocument, warnings: [Diagnostic])
    case rejected(ResourceID?, [Diagnostic])
    case skipped(SkippedDocument)
}

/// Splits a multi-document YAML text and decodes each document into a resource, walking the Yams node tree so
/// every field is checked (unknown fields and wrong types are errors with their path and line).
enum DocumentDecoder {
    private static let istioTopLevelFields = FieldSet(["apiVersion", "kind", "metadata", "spec", "status"])
    private static let listFields = FieldSet(["apiVersion", "kind", "metadata", "items"])

    /// Decodes every document; empty documents are left out. A YAML syntax error ends the file there, since
    /// the parser cannot resynchronise: documents before it are still returned.
    /// `namespace` is kubectl's `-n`: the namespace of documents without one, and the only one allowed.
    static func decode(yaml: String, file: String, namespace: String? = nil) -> [(DocumentOrigin, DecodedDocument)] {
        var results: [(DocumentOrigin, DecodedDocument)] = []
        var number = 0
        do {
            let parser = try Parser(yaml: yaml)
            while let root = try parser.nextRoot() {
                number += 1
                let origin = DocumentOrigin(file: file, document: number)
                if root.isNull { continue }
                for decoded in decode(root: root, at: .root, namespace: namespace) {
                    results.append((origin, decoded))
                }
            }
        } catch {
            let origin = DocumentOrigin(file: file, document: number + 1)
            let diagnostic = Diagnostic(
                .error,
                "YAML syntax error: \(syntaxMessage(error))",
                origin: origin,
                line: syntaxLine(error)
            )
            results.append((origin, .rejected(nil, [diagnostic])))
        }
        return results
    }

    private static func decode(root: Node, at path: FieldPath, namespace: String?) -> [DecodedDocument] {
        guard case .mapping(let mapping) = root else {
            return [.rejected(nil, [.error("expected a mapping, found \(root.typeDescription)", line: root.line)])]
        }
        let apiVersion = mapping["apiVersion"]?.string ?? ""
        let kind = mapping["kind"]?.string ?? ""
        var missing: [Diagnostic] = []
        if apiVersion.isEmpty { missing.append(.error("apiVersion not set", path: path.description, line: root.line)) }
        if kind.isEmpty { missing.append(.error("kind not set", path: path.description, line: root.line)) }
        guard missing.isEmpty else { return [.rejected(nil, missing)] }

        if kind == "List" && apiVersion == "v1" { return decodeList(mapping: root, at: path, namespace: namespace) }

        let (group, version) = splitAPIVersion(apiVersion)
        guard let resourceKind = ResourceKind(group: group, kind: kind) else {
            return [
                .skipped(
                    SkippedDocument(
                        apiVersion: apiVersion,
                        kind: kind,
                        name: mapping["metadata"]?["name"]?.string ?? "",
                        namespace: mapping["metadata"]?["namespace"]?.string ?? namespace ?? "",
                        line: root.line
                    )
                )
            ]
        }
        guard resourceKind.versions.contains(version) else {
            let served = resourceKind.versions.map(resourceKind.apiVersion).joined(separator: ", ")
            let message = "apiVersion \"\(apiVersion)\" is not served for \(kind) (use \(served))"
            return [.rejected(nil, [.error(message, path: path.key("apiVersion").description, line: root.line)])]
        }
        if let namespace, let written = mapping["metadata"]?["namespace"]?.string, !written.isEmpty,
            written != namespace
        {
            let message =
                "the namespace from the provided object \(quoted(written)) does not match the namespace "
                + "\(quoted(namespace)). You must pass '--namespace=\(written)' to perform this operation."
            return [
                .rejected(
                    nil,
                    [.error(message, path: path.key("metadata").key("namespace").description, line: root.line)]
                )
            ]
        }
        return [decodeResource(resourceKind, apiVersion: apiVersion, root: root, at: path, namespace: namespace)]
    }

    private static func decodeList(mapping root: Node, at path: FieldPath, namespace: String?) -> [DecodedDocument] {
        var reader = YAMLReader()
        guard let list = reader.object(root, at: path, fields: listFields) else {
            return [.rejected(nil, reader.diagnostics)]
        }
        var results: [DecodedDocument] = reader.hasErrors ? [.rejected(nil, reader.diagnostics)] : []
        if let (itemsPath, items) = list.value("items") {
            guard case .sequence(let sequence) = items else {
                let message = "expected a list, found \(items.typeDescription)"
                return [.rejected(nil, [.error(message, path: itemsPath.description, line: items.line)])]
            }
            for (index, item) in sequence.enumerated() {
                results += decode(root: item, at: itemsPath.index(index), namespace: namespace)
            }
        }
        return results
    }

    private static func decodeResource(
        _ kind: ResourceKind,
        apiVersion: String,
        root: Node,
        at path: FieldPath,
        namespace: String?
    ) -> DecodedDocument {
        var reader = YAMLReader()
        reader.integersMayBeQuoted = kind.isIstioKind
        let topLevelFields: FieldSet
        switch kind {
        case .gateway, .virtualService, .serviceEntry: topLevelFields = istioTopLevelFields
        case .service: topLevelFields = KubernetesService.topLevelFields
        case .endpointSlice: topLevelFields = EndpointSlice.topLevelFields
        }
        guard let document = reader.object(root, at: path, fields: topLevelFields) else {
            return .rejected(nil, reader.diagnostics)
        }
        let metadataFields = kind.isIstioKind ? ResourceMetadata.fields : ResourceMetadata.kubernetesFields
        var metadata =
            reader.message(document, "metadata", fields: metadataFields, ResourceMetadata.init)
            ?? ResourceMetadata(name: "")
        if let namespace, (document.value("metadata")?.node["namespace"]?.string ?? "").isEmpty {
            metadata.namespace = namespace
        }
        let id = ResourceID(kind: kind, namespace: metadata.namespace, name: metadata.name)
        if metadata.name.isEmpty {
            let message =
                kind.isIstioKind ? "resource name may not be empty" : "Required value: name or generateName is required"
            reader.error(message, at: path.key("metadata").key("name"), line: root.line)
        }
        let resource: Resource
        if kind == .endpointSlice {
            resource = .endpointSlice(EndpointSlice(metadata: metadata, &reader, document))
        } else {
            let specFields: FieldSet
            switch kind {
            case .gateway: specFields = Gateway.specFields
            case .virtualService: specFields = VirtualService.specFields
            case .serviceEntry: specFields = ServiceEntry.specFields
            case .service, .endpointSlice: specFields = KubernetesService.specFields
            }
            let emptySpec = YAMLObject(path: path.key("spec"), line: root.line, fields: [:])
            let spec: YAMLObject
            if let (specPath, specNode) = document.value("spec") {
                spec = reader.object(specNode, at: specPath, fields: specFields) ?? emptySpec
            } else {
                spec = emptySpec
            }
            switch kind {
            case .gateway: resource = .gateway(Gateway(metadata: metadata, &reader, spec))
            case .virtualService: resource = .virtualService(VirtualService(metadata: metadata, &reader, spec))
            case .serviceEntry: resource = .serviceEntry(ServiceEntry(metadata: metadata, &reader, spec))
            case .service, .endpointSlice: resource = .service(KubernetesService(metadata: metadata, &reader, spec))
            }
        }
        let diagnostics = reader.diagnostics.map { $0.located(origin: nil, resource: id) }
        guard !diagnostics.hasErrors else { return .rejected(id, diagnostics) }
        do {
            let yaml = try Yams.serialize(node: root)
            return .resource(
                ResourceDocument(resource: resource, apiVersion: apiVersion, yaml: yaml),
                warnings: diagnostics
            )
        } catch {
            return .rejected(
                id,
                diagnostics + [.error("cannot re-emit the document as YAML: \(error)", line: root.line)]
            )
        }
    }

    private static func splitAPIVersion(_ apiVersion: String) -> (group: String, version: String) {
        guard let slash = apiVersion.lastIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }

    private static func syntaxLine(_ error: any Error) -> Int? {
        guard let error = error as? YamlError else { return nil }
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func syntaxMessage(_ error: any Error) -> String {
        guard let error = error as? YamlError else { return "\(error)" }
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        default:
            return "\(error)"
        }
    }
}
