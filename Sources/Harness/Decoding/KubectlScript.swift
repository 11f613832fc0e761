import Foundation
import MeshConfig
import TestWorld

/// Reads `kubectl apply` / `kubectl delete` lines as the Istio docs write them, here-documents included:
///
///     $ kubectl apply -f - <<EOF
///     apiVersion: networking.istio.io/v1alpha3
///     ...
///     EOF
///     $ kubectl delete gateway front-proxy
///
/// Only what those pages use is understood; anything else is an error rather than silently ignored.
enum KubectlScript {
    /// The changes the script makes, in order. Files named with `-f` are read relative to `directory`.
    static func changes(
        of script: String,
        directory: String,
        origin: String
    ) throws(KubectlScriptError) -> [ConfigChange] {
        var changes: [ConfigChange] = []
        var lines = script.components(separatedBy: "\n")[...]
        var number = 0
        while let raw = lines.popFirst() {
            number += 1
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            if line.hasPrefix("$ ") { line.removeFirst(2) }
            while line.hasSuffix("\\"), let next = lines.popFirst() {
                number += 1
                line = String(line.dropLast()) + " " + next.trimmingCharacters(in: .whitespaces)
            }
            var stdin: String?
            // `cat <<EOF | kubectl apply -f -` feeds the here-document to kubectl as `kubectl ... <<EOF` does.
            let pipeline = ShellPipeline.commands(line)
            if pipeline.count == 2, let cat = ShellPipeline.hereDocument(pipeline[0]), cat.command == "cat" {
                line = pipeline[1] + " <<" + cat.delimiter
            }
            if let hereDocument = ShellPipeline.hereDocument(line) {
                line = hereDocument.command
                var body: [String] = []
                var closed = false
                while let next = lines.popFirst() {
                    number += 1
                    if next.trimmingCharacters(in: .whitespaces) == hereDocument.delimiter {
                        closed = true
                        break
                    }
                    body.append(next)
                }
                guard closed else { throw .unterminatedHereDocument(hereDocument.delimiter, line: number) }
                stdin = dedented(body).joined(separator: "\n") + "\n"
            }
            let words: [String]
            do { words = try ShellWords.split(line, environment: [:]) } catch {
                throw .badLine(line, reason: "\(error)", line: number)
            }
            changes += try self.changes(words: words, stdin: stdin, directory: directory, origin: origin, line: number)
        }
        return changes
    }

    private static func changes(
        words: [String],
        stdin: String?,
        directory: String,
        origin: String,
        line: Int
    ) throws(KubectlScriptError) -> [ConfigChange] {
        let text = words.joined(separator: " ")
        guard words.first == "kubectl", words.count >= 2 else { throw .notKubectl(text, line: line) }
        if words[1] == "create", words.count >= 3, ["secret", "configmap", "cm"].contains(words[2]) {
            return [try createUnread(words, text: text, line: line)]
        }
        var files: [String] = []
        var namespace: String?
        var positional: [String] = []
        var rest = words.dropFirst(2)
        while let word = rest.popFirst() {
            switch word {
            case "-f", "--filename":
                guard let file = rest.popFirst() else {
                    throw .badLine(text, reason: "\(word) needs a value", line: line)
                }
                files.append(file)
            case "-n", "--namespace":
                guard let value = rest.popFirst() else {
                    throw .badLine(text, reason: "\(word) needs a value", line: line)
                }
                namespace = value
            case "--ignore-not-found", "--ignore-not-found=true", "--wait=false":
                continue
            default:
                if word.hasPrefix("--filename=") {
                    files.append(String(word.dropFirst("--filename=".count)))
                } else if word.hasPrefix("--namespace=") {
                    namespace = String(word.dropFirst("--namespace=".count))
                } else if word.hasPrefix("-") {
                    throw .badLine(text, reason: "option \(word) is not supported", line: line)
                } else {
                    positional.append(word)
                }
            }
        }
        let label = "\(origin) line \(line)"
        var documents: [(yaml: String, origin: String)] = []
        for file in files {
            if file == "-" {
                guard let stdin else { throw .badLine(text, reason: "-f - needs a here-document (<<EOF)", line: line) }
                documents.append((stdin, label))
            } else {
                do {
                    documents += try ConfigSourceFiles.read(file, relativeTo: directory)
                } catch {
                    throw .badLine(text, reason: error.description, line: line)
                }
            }
        }
        switch words[1] {
        case "apply", "create":
            guard positional.isEmpty, !documents.isEmpty else {
                throw .badLine(text, reason: "kubectl \(words[1]) needs -f FILE or -f - <<EOF", line: line)
            }
            return [.apply(documents.map { ConfigText(yaml: $0.yaml, origin: $0.origin) }, namespace: namespace)]
        case "delete":
            if !documents.isEmpty {
                guard positional.isEmpty else {
                    throw .badLine(text, reason: "give either -f or KIND NAME, not both", line: line)
                }
                return documents.map {
                    ConfigChange.deleteDocuments(yaml: $0.yaml, origin: $0.origin, namespace: namespace)
                }
            }
            return try deletions(positional, namespace: namespace, text: text, line: line)
        default:
            throw .badLine(text, reason: "only kubectl apply, create and delete are supported", line: line)
        }
    }

    /// `kubectl create secret (tls|generic|docker-registry) NAME ...` or `kubectl create configmap NAME ...`:
    /// kinds FrontProxy does not read, so their flags (`--cert`, `--from-file`) are taken as written and not
    /// read; only the name and namespace matter, for a later delete.
    private static func createUnread(
        _ words: [String],
        text: String,
        line: Int
    ) throws(KubectlScriptError) -> ConfigChange {
        var rest = words.dropFirst(3)
        let kind = words[2] == "secret" ? "Secret" : "ConfigMap"
        if kind == "Secret" {
            guard let type = rest.popFirst(), ["tls", "generic", "docker-registry"].contains(type) else {
                throw .badLine(text, reason: "kubectl create secret needs tls, generic or docker-registry", line: line)
            }
        }
        var name: String?
        var namespace: String?
        while let word = rest.popFirst() {
            if word == "-n" || word == "--namespace" {
                namespace = rest.popFirst()
            } else if word.hasPrefix("--namespace=") {
                namespace = String(word.dropFirst("--namespace=".count))
            } else if !word.hasPrefix("-"), name == nil {
                name = word
            } else if ["--key", "--cert", "--from-file", "--from-literal", "--type"].contains(word) {
                _ = rest.popFirst()
            }
        }
        guard let name else { throw .badLine(text, reason: "kubectl create \(words[2]) needs a NAME", line: line) }
        return .createUnread(kind: kind, name: name, namespace: namespace)
    }

    /// `KIND NAME...` or `KIND/NAME...`.
    static func deletions(
        _ words: [String],
        namespace: String?,
        text: String,
        line: Int
    ) throws(KubectlScriptError) -> [ConfigChange] {
        var changes: [ConfigChange] = []
        if let first = words.first, first.contains("/") {
            for word in words {
                let parts = word.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2, ResourceKind(kubectlName: parts[0]) != nil || UnreadKind(parts[0]) != nil else {
                    throw .badLine(text, reason: "\(word) is not KIND/NAME of a kind kubectl knows", line: line)
                }
                changes.append(.delete(kind: parts[0], name: parts[1], namespace: namespace))
            }
            return changes
        }
        guard words.count >= 2, ResourceKind(kubectlName: words[0]) != nil || UnreadKind(words[0]) != nil else {
            throw .badLine(
                text,
                reason: "expected KIND NAME (gateway, virtualservice, serviceentry, service, endpointslice, or a kind "
                    + "FrontProxy only counts: secret, configmap, deployment, ...)",
                line: line
            )
        }
        return words.dropFirst().map { .delete(kind: words[0], name: $0, namespace: namespace) }
    }

    /// Removes the indentation every non-empty line shares (a here-document inside an indented block).
    private static func dedented(_ lines: [String]) -> [String] {
        let indents = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix { $0 == " " || $0 == "\t" }.count }
        let common = indents.min() ?? 0
        return lines.map { String($0.dropFirst(min(common, $0.prefix { $0 == " " || $0 == "\t" }.count))) }
    }
}

/// The kinds a scenario may `kubectl delete` although FrontProxy does not read them (it counts them): the
/// Kubernetes kinds config repos and Istio's pages hold, by the names kubectl accepts.
struct UnreadKind: Hashable {
    /// The kind (`Secret`) and its plural resource, as kubectl's NotFound names it (`secrets`).
    var kind: String
    var resource: String

    private static let known: [(kind: String, resource: String, names: [String])] = [
        ("Secret", "secrets", ["secret", "secrets"]), ("ConfigMap", "configmaps", ["configmap", "configmaps", "cm"]),
        ("Deployment", "deployments.apps", ["deployment", "deployments", "deploy"]),
        ("Namespace", "namespaces", ["namespace", "namespaces", "ns"]),
        ("ServiceAccount", "serviceaccounts", ["serviceaccount", "serviceaccounts", "sa"]),
        ("Pod", "pods", ["pod", "pods", "po"]),
        ("StatefulSet", "statefulsets.apps", ["statefulset", "statefulsets", "sts"]),
        ("DaemonSet", "daemonsets.apps", ["daemonset", "daemonsets", "ds"]),
        ("DestinationRule", "destinationrules.networking.istio.io", ["destinationrule", "destinationrules", "dr"]),
    ]

    init?(_ name: String) {
        let lowered = name.lowercased()
        guard let entry = Self.known.first(where: { $0.names.contains(lowered) }) else { return nil }
        kind = entry.kind
        resource = entry.resource
    }

    /// The plural resource of a kind name as documents write it (`Deployment`), for kubectl's NotFound text.
    static func resource(ofKind kind: String) -> String {
        known.first { $0.kind == kind }?.resource ?? kind.lowercased() + "s"
    }
}

public enum KubectlScriptError: Error, Hashable, CustomStringConvertible {
    case notKubectl(String, line: Int)
    case badLine(String, reason: String, line: Int)
    case unterminatedHereDocument(String, line: Int)

    public var description: String {
        switch self {
        case .notKubectl(let text, let line): "line \(line): expected a kubectl command, found `\(text)`"
        case .badLine(let text, let reason, let line): "line \(line): `\(text)`: \(reason)"
        case .unterminatedHereDocument(let delimiter, let line):
            "line \(line): the here-document is never closed by a line \(delimiter)"
        }
    }
}

/// Reads configuration files named by a scenario: a file, or a folder's `.yaml`/`.yml` files.
enum ConfigSourceFiles {
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static func resolve(_ path: String, relativeTo directory: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).standardized.path
    }

    static func read(_ path: String, relativeTo directory: String) throws(ReadError) -> [(yaml: String, origin: String)]
    {
        let resolved = resolve(path, relativeTo: directory)
        let files: [String]
        do { files = try ScenarioDiscovery.scenarioFiles(in: [resolved]) } catch {
            throw ReadError(description: "\(path): no such file or directory")
        }
        guard !files.isEmpty else { throw ReadError(description: "\(path): no .yaml files in it") }
        var documents: [(yaml: String, origin: String)] = []
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ReadError(description: "\(file): cannot be read as UTF-8 text")
            }
            documents.append((text, file))
        }
        return documents
    }
}
