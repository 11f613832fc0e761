import Foundation

/// Reads configuration files for the command-line tools: files as given, directories searched recursively for
/// `.yaml` / `.yml` (sorted, so the order documents are applied in is stable).
public enum ConfigFiles {
    /// One input: its name as the user gave it, and its text or why it could not be read.
    public struct Input: Sendable {
        public var file: String
        public var contents: Result<String, ReadError>

        public init(file: String, contents: Result<String, ReadError>) {
            self.file = file
            self.contents = contents
        }
    }

    public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    public static func read(_ paths: [String]) -> [Input] {
        paths.flatMap { path -> [Input] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return [Input(file: path, contents: .failure(ReadError(description: "no such file or directory")))]
            }
            guard isDirectory.boolValue else { return [readFile(path)] }
            let files = yamlFiles(under: path)
            guard !files.isEmpty else {
                return [
                    Input(file: path, contents: .failure(ReadError(description: "no .yaml or .yml files in directory")))
                ]
            }
            return files.map(readFile)
        }
    }

    private static func yamlFiles(under directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
            let path = (directory as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }

    private static func readFile(_ path: String) -> Input {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > ConfigLoader.maximumInputBytes {
            return Input(
                file: path,
                contents: .failure(
                    ReadError(description: "file too large: \(size) bytes (at most \(ConfigLoader.maximumInputBytes))")
                )
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return Input(file: path, contents: .failure(ReadError(description: "cannot read file")))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return Input(file: path, contents: .failure(ReadError(description: "file is not UTF-8 text")))
        }
        return Input(file: path, contents: .success(text))
    }
}
