import Foundation
import MeshConfig
import Testing

@Suite struct ConfigStoreTests {
    @Test func applyReportsCreatedThenUnchangedThenConfigured() {
        var store = ConfigStore()
        #expect(store.apply(yaml: Seed.serviceEntry, file: "se.yaml").results.map(\.action) == [.created])
        #expect(store.generation == 1)
        #expect(
            store.apply(yaml: Seed.serviceEntry + "\n# a comment\n", file: "se.yaml").results.map(\.action) == [
                .unchanged
            ]
        )
        #expect(store.generation == 1)
        let changed = Seed.serviceEntry.replacingOccurrences(of: "resolution: DNS", with: "resolution: DNS_ROUND_ROBIN")
        let report = store.apply(yaml: changed, file: "se.yaml")
        #expect(report.results.map(\.action) == [.configured])
        #expect(report.results.first?.summary == "serviceentry.networking.istio.io/google configured")
        #expect(store.generation == 2)
    }

    @Test func documentsAppliedTogetherShareACreationTimestamp() {
        var store = ConfigStore()
        let time = CreationTimestamp.unclocked.adding(seconds: 42)
        _ = store.apply(yaml: Seed.gateway + "---\n" + Seed.serviceEntry, file: "all.yaml", at: time)
        #expect(store.list().map(\.creationTimestamp) == [time, time])
    }

    @Test func aWrittenCreationTimestampIsHonouredAndCannotBeChangedByAnUpdate() {
        var store = ConfigStore()
        let written = Seed.serviceEntry.replacingOccurrences(
            of: "name: google",
            with: "name: google\n  creationTimestamp: 2024-05-06T07:08:09Z"
        )
        _ = store.apply(yaml: written, file: "se.yaml", at: .unclocked)
        #expect(store.list().first?.creationTimestamp.description == "2024-05-06T07:08:09Z")
        let later = written.replacingOccurrences(of: "2024-05-06T07:08:09Z", with: "2025-01-01T00:00:00Z")
        #expect(store.apply(yaml: later, file: "se.yaml").results.map(\.action) == [.unchanged])
        let changed = later.replacingOccurrences(of: "resolution: DNS", with: "resolution: DNS_ROUND_ROBIN")
        #expect(store.apply(yaml: changed, file: "se.yaml").results.map(\.action) == [.configured])
        #expect(store.list().first?.creationTimestamp.description == "2024-05-06T07:08:09Z")
    }

    @Test(arguments: [
        ("2026-01-31T13:40:11Z", "2026-01-31T13:40:11Z"), ("2026-01-31T13:40:11.076Z", "2026-01-31T13:40:11Z"),
        ("2026-01-31T15:40:11+02:00", "2026-01-31T13:40:11Z"), ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
    ])
    func creationTimestampsReadRFC3339AndPrintUTC(text: String, printed: String) {
        #expect(CreationTimestamp(rfc3339: text)?.description == printed)
    }

    @Test(arguments: ["2026-01-31", "2026-02-30T00:00:00Z", "2026-01-31T13:40:11", "2026-01-31 13:40:11Z", ""])
    func malformedTimestampsAreRefused(text: String) {
        #expect(CreationTimestamp(rfc3339: text) == nil)
    }

    @Test func aMalformedCreationTimestampIsAnErrorAtItsField() throws {
        let documents = load(
            Seed.serviceEntry.replacingOccurrences(
                of: "name: google",
                with: "name: google\n  creationTimestamp: yesterday"
            )
        )
        let error = try #require(documents.first?.diagnostics.first)
        #expect(error.path == "metadata.creationTimestamp")
        #expect(error.message == "\"yesterday\" is not an RFC 3339 time (as in 2026-01-31T13:40:11Z)")
    }

    @Test func replacingKeepsTheOriginalCreationOrder() {
        var store = store(Seed.gateway, Seed.virtualService, Seed.serviceEntry)
        let changed = Seed.gateway.replacingOccurrences(of: "number: 443", with: "number: 8443")
        _ = store.apply(yaml: changed, file: "gw.yaml")
        #expect(store.snapshot.resources.map(\.id.kind) == [.gateway, .virtualService, .serviceEntry])
        #expect(store.list(.gateway).first?.creationIndex == 0)
    }

    @Test func rejectedDocumentChangesNothingAlreadyApplied() {
        var store = store(Seed.serviceEntry)
        let before = store.snapshot
        let broken = Seed.serviceEntry.replacingOccurrences(of: "resolution: DNS", with: "resolution: DNS\n  bogus: 1")
        let report = store.apply(yaml: broken, file: "se.yaml")
        #expect(report.results.map(\.action) == [.rejected])
        #expect(report.hasErrors)
        #expect(store.snapshot == before)
    }

    @Test func eachDocumentOfAFileStandsAlone() {
        var store = ConfigStore()
        let invalid = Seed.virtualService.replacingOccurrences(of: "sni_hosts", with: "snihosts")
        let report = store.apply(yaml: Seed.gateway + "---\n" + invalid + "---\n" + Seed.serviceEntry, file: "all.yaml")
        #expect(report.results.map(\.action) == [.created, .rejected, .created])
        #expect(store.list().map(\.id.kind) == [.gateway, .serviceEntry])
    }

    @Test func atomicApplyChangesNothingWhenOneDocumentIsInvalid() {
        var store = ConfigStore()
        let invalid = Seed.virtualService.replacingOccurrences(of: "sni_hosts", with: "snihosts")
        let report = store.applyAtomically(yaml: Seed.gateway + "---\n" + invalid, file: "all.yaml")
        #expect(report.results.map(\.action) == [.notApplied, .rejected])
        #expect(store.list().isEmpty)
        #expect(store.generation == 0)
        #expect(store.applyAtomically(yaml: Seed.gateway, file: "gw.yaml").results.map(\.action) == [.created])
    }

    @Test func deleteByIdentityAndByFileContents() {
        var store = store(Seed.gateway, Seed.virtualService, Seed.serviceEntry)
        let first = store.delete(ResourceID(kind: .gateway, name: "front-proxy"))
        let second = store.delete(ResourceID(kind: .gateway, name: "front-proxy"))
        #expect(first)
        #expect(!second)
        #expect(store.generation == 4)
        let results = store.delete(yaml: Seed.virtualService + "---\n" + Seed.gateway, file: "x.yaml")
        #expect(results.map(\.deleted) == [true, false])
        #expect(results.first?.summary == "virtualservice.networking.istio.io \"front-proxy\" deleted")
        #expect(store.list().map(\.id) == [ResourceID(kind: .serviceEntry, name: "google")])
    }

    @Test func namespaceDefaultsAndIdentityIncludesIt() {
        var store = ConfigStore()
        _ = store.apply(yaml: Seed.serviceEntry, file: "a.yaml")
        _ = store.apply(
            yaml: Seed.serviceEntry.replacingOccurrences(
                of: "  name: google",
                with: "  name: google\n  namespace: other"
            ),
            file: "b.yaml"
        )
        #expect(store.list().map(\.id.namespace) == ["default", "other"])
        #expect(store.get(ResourceID(kind: .serviceEntry, namespace: "other", name: "google")) != nil)
    }

    @Test func snapshotsAreIndependentOfLaterChanges() {
        var store = store(Seed.gateway)
        let snapshot = store.snapshot
        _ = store.apply(yaml: Seed.serviceEntry, file: "se.yaml")
        #expect(snapshot.resources.count == 1)
        #expect(snapshot.generation == 1)
        #expect(store.snapshot.generation == 2)
    }

    @Test func getReturnsTheAppliedYAML() {
        let store = store(Seed.gateway)
        let stored = store.get(ResourceID(kind: .gateway, name: "front-proxy"))
        #expect(stored?.document.yaml.contains("PASSTHROUGH") == true)
        #expect(stored?.document.origin == DocumentOrigin(file: "test.yaml", document: 1))
    }
}
