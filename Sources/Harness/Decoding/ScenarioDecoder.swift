import Foundation
import FrontProxy
import MeshConfig
import TestWorld
import Yams

/// Reads a scenario file by walking its Yams nodes, so every error names the file, the line and the field.
public enum ScenarioDecoder {
    /// Larger scenario files are refused outright.
    public static let maximumFileBytes = 4 << 20

    /// Reads and decodes the scenario at `path`.
    public static func load(path: String) throws(ScenarioFileError) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioFileError(file: path, line: nil, path: "", message: "cannot read the file")
        }
        guard data.count <= maximumFileBytes else {
            throw ScenarioFileError(
                file: path,
                line: nil,
                path: "",
                message: "file too large: \(data.count) bytes (at most \(maximumFileBytes))"
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioFileError(file: path, line: nil, path: "", message: "not UTF-8 text")
        }
        return try decode(yaml: text, file: path)
    }

    /// Decodes scenario YAML; files it names are read relative to `file`'s folder.
    public static func decode(yaml: String, file: String) throws(ScenarioFileError) -> Scenario {
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                throw ScenarioFileError(file: file, line: nil, path: "", message: "the file is empty")
            }
            root = composed
        } catch let error as ScenarioFileError {
            throw error
        } catch let error as YamlError {
            throw ScenarioFileError(
                file: file,
                line: syntaxLine(error),
                path: "",
                message: "YAML syntax error: \(error)"
            )
        } catch {
            throw ScenarioFileError(file: file, line: nil, path: "", message: "YAML syntax error: \(error)")
        }
        let top = try ScenarioNode(node: root, path: "", file: file).mapping([
            "name", "description", "timeout", "world", "steps",
        ])
        var world = WorldSpec()
        if let worldNode = top["world"] { world = try WorldDecoder.decode(worldNode) }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        var steps = StepDecoder(
            directory: directory,
            upstreamNames: Set(world.upstreams.map(\.name)),
            pods: Set(world.pods.map { "\($0.namespace)/\($0.name)" })
        )
        var decodedSteps: [ScenarioStep] = []
        for (index, node) in try top.required("steps").list().enumerated() {
            decodedSteps.append(try steps.decode(node, number: index + 1))
        }
        guard !decodedSteps.isEmpty else { throw try top.required("steps").error("a scenario needs at least one step") }
        if world.proxy.ports == nil { world.proxy.ports = gatewayPorts(in: decodedSteps) }
        return Scenario(
            name: try top.required("name").string(),
            description: try top["description"]?.string(),
            file: file,
            world: world,
            steps: decodedSteps,
            timeout: try top["timeout"]?.duration() ?? .seconds(60)
        )
    }

    /// Every Gateway server port the scenario's applies mention, so the runtime can map each to loopback.
    static func gatewayPorts(in steps: [ScenarioStep]) -> [Int] {
        var ports: Set<Int> = []
        for step in steps {
            guard case .configure(let changes, _) = step.action else { continue }
            for case .apply(let texts, let namespace) in changes {
                for text in texts {
                    for document in ConfigLoader.load(
                        yaml: text.yaml,
                        file: text.origin,
                        options: .init(namespace: namespace)
                    ) {
                        guard case .gateway(let gateway)? = (document.document ?? document.decoded)?.resource else {
                            continue
                        }
                        for server in gateway.servers { if let port = server.port?.number { ports.insert(port) } }
                    }
                }
            }
        }
        return ports.sorted()
    }

    private static func syntaxLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }
}
