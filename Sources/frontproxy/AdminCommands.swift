import ArgumentParser
import Foundation
import FrontProxy
import MeshConfig
import NIOCore
import NIOHTTP1

/// The `--admin ADDR:PORT` option shared by the commands that talk to a running proxy.
struct AdminOptions: ParsableArguments {
    @Option(help: "The admin API of the running proxy.")
    var admin = "127.0.0.1:15000"

    /// Sends a request; prints the body; fails with exit code 1 on a non-2xx answer.
    func send(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws {
        let client = AdminClient(address: try SocketAddress(parsing: admin))
        let response: (status: Int, body: String)
        do {
            response = try await client.send(method, path, body: body)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let output = (200..<300).contains(response.status) ? FileHandle.standardOutput : .standardError
        output.write(Data(response.body.utf8))
        if !(200..<300).contains(response.status) { throw ExitCode.failure }
    }
}

/// Reads `-f` inputs: files, directories, or `-` for standard input; all documents joined.
private func readInputs(_ paths: [String]) throws -> String {
    var documents: [String] = []
    for path in paths {
        if path == "-" {
            documents.append(String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self))
            continue
        }
        for input in ConfigFiles.read([path]) {
            switch input.contents {
            case .success(let text): documents.append(text)
            case .failure(let error): throw CLIError("error: \(error)")
            }
        }
    }
    return documents.joined(separator: "\n---\n")
}

/// `frontproxy apply -f PATH|-`
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply Istio resources, Services and EndpointSlices to a running proxy, as `kubectl apply -f` does."
    )

    @Option(name: [.short, .customLong("filename")], help: "A YAML file, a directory, or - for standard input.")
    var files: [String]

    @OptionGroup var adminOptions: AdminOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one -f PATH (or -f - for stdin)") }
    }

    func run() async throws {
        try await adminOptions.send(.POST, "/apply", body: try readInputs(files))
    }
}

/// `frontproxy delete KIND NAME [-n NS]` or `frontproxy delete -f PATH`
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete resources from a running proxy, as `kubectl delete` does."
    )

    @Argument(
        help:
            "gateway, virtualservice, serviceentry, service or endpointslice (kubectl spellings: gw, vs, se, svc, plurals)."
    )
    var kind: String?

    @Argument(help: "The resource's name.")
    var name: String?

    @Option(name: [.short, .customLong("namespace")], help: "The resource's namespace.")
    var namespace = "default"

    @Option(name: [.short, .customLong("filename")], help: "Delete every resource a YAML file names.")
    var files: [String] = []

    @OptionGroup var adminOptions: AdminOptions

    func validate() throws {
        if files.isEmpty {
            guard let kind, name != nil else { throw ValidationError("give KIND NAME, or -f PATH") }
            guard ResourceKind(kubectlName: kind) != nil else {
                throw ValidationError("the server doesn't have a resource type \"\(kind)\"")
            }
        } else if kind != nil {
            throw ValidationError("give either KIND NAME or -f PATH, not both")
        }
    }

    func run() async throws {
        if !files.isEmpty {
            return try await adminOptions.send(.POST, "/delete", body: try readInputs(files))
        }
        guard let kind = kind.flatMap(ResourceKind.init(kubectlName:)), let name else { return }
        try await adminOptions.send(.DELETE, "/config/\(kind.resourceName)/\(namespace)/\(name)")
    }
}

/// `frontproxy get KIND [NAME] [-n NS]`
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print the resources applied to a running proxy, as YAML."
    )

    @Argument(
        help:
            "gateway, virtualservice, serviceentry, service or endpointslice (kubectl spellings: gw, vs, se, svc, plurals)."
    )
    var kind: String

    @Argument(help: "One resource's name; all of the kind when omitted.")
    var name: String?

    @Option(name: [.short, .customLong("namespace")], help: "The namespace (default: all namespaces for a list).")
    var namespace: String?

    @OptionGroup var adminOptions: AdminOptions

    func validate() throws {
        guard ResourceKind(kubectlName: kind) != nil else {
            throw ValidationError("the server doesn't have a resource type \"\(kind)\"")
        }
    }

    func run() async throws {
        guard let resourceKind = ResourceKind(kubectlName: kind) else { return }
        var path = "/config/\(resourceKind.resourceName)"
        if let name { path += "/\(namespace ?? "default")/\(name)" } else if let namespace { path += "/\(namespace)" }
        try await adminOptions.send(.GET, path)
    }
}
