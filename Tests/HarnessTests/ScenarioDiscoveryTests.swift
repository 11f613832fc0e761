import Foundation
import Harness
import Testing

@Suite struct ScenarioDiscoveryTests {
    @Test func foldersAreSearchedRecursivelyInPathOrder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("discovery-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/nested", withIntermediateDirectories: true)
        for name in ["b.yaml", "a.yml", "notes.txt", "nested/c.yaml"] {
            #expect(FileManager.default.createFile(atPath: root + "/" + name, contents: Data()))
        }
        let files = try ScenarioDiscovery.scenarioFiles(in: [root + "/"])
        #expect(files == [root + "/a.yml", root + "/b.yaml", root + "/nested/c.yaml"])
    }

    @Test func aFileIsTakenAsIs() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("one-\(UUID()).yaml").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try ScenarioDiscovery.scenarioFiles(in: [file]) == [file])
    }

    @Test func aMissingPathIsAnErrorNamingIt() {
        #expect(throws: ScenarioDiscovery.MissingPath.self) {
            try ScenarioDiscovery.scenarioFiles(in: ["/nonexistent/scenarios"])
        }
    }
}
