import Foundation

/// Finds scenario files: each path is a file or a folder searched recursively for `.yaml` / `.yml` files.
public enum ScenarioDiscovery {
    /// A path that does not exist.
    public struct MissingPath: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "\(path): no such file or directory" }
    }

    /// The scenario files under `paths`, each folder's files sorted by path so runs are reproducible.
    public static func scenarioFiles(in paths: [String]) throws -> [String] {
        var files: [String] = []
        let fileManager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else { throw MissingPath(path: path) }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            let found = (fileManager.enumerator(atPath: base)?.compactMap { $0 as? String } ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .sorted()
                .map { base + "/" + $0 }
            files.append(contentsOf: found)
        }
        return files
    }
}
