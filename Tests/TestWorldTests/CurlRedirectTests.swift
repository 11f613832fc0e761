import NIOCore
import Testing

@testable import TestWorld

/// `curl -L` against plain-HTTP fake upstreams over loopback: which requests curl sends after a redirect,
/// on which connection, and what it prints.
@Suite struct CurlRedirectTests {
    let curl = CurlClient()

    private func site(_ host: String, _ paths: [String: HTTPResponder]) async throws -> FakeUpstream {
        try await FakeUpstream.start(
            name: host,
            host: host,
            behavior: .http(HTTPResponder(status: 404, body: "no such page", paths: paths))
        )
    }

    private static func redirect(_ status: Int, to location: String) -> HTTPResponder {
        HTTPResponder(status: status, headers: ["Location": location], body: "moved")
    }

    @Test func aRelativeRedirectIsFollowedOnTheSameConnectionWithTheCustomHost() async throws {
        let upstream = try await site(
            "127.0.10.2",
            ["/old": Self.redirect(301, to: "/new"), "/new": HTTPResponder(body: "moved here")]
        )
        let port = try #require(upstream.address.port)
        let result = try await curl.run("curl -s -L -HHost:example.com http://127.0.10.2:\(port)/old")
        #expect(result.exitCode == 0)
        #expect(result.status == 200)
        #expect(
            String(decoding: result.stdout, as: UTF8.self) == "moved here",
            "a followed redirect's body is not printed"
        )
        #expect(await upstream.waitUntilNoOpenConnections())
        #expect(upstream.connections.count == 1, "curl reuses the connection for the same host and port")
        let requests = upstream.connections.flatMap(\.requests)
        #expect(requests.map(\.target) == ["/old", "/new"])
        #expect(requests.map { $0.headers["Host"] } == ["example.com", "example.com"])
        await upstream.stop()
    }

    @Test func withoutLocationOptionTheRedirectIsTheResponse() async throws {
        let upstream = try await site("127.0.10.2", ["/old": Self.redirect(302, to: "/new")])
        let port = try #require(upstream.address.port)
        let result = try await curl.run("curl -s http://127.0.10.2:\(port)/old")
        #expect(result.status == 302)
        #expect(result.bodyText == "moved")
        #expect(upstream.connections.flatMap(\.requests).count == 1)
        await upstream.stop()
    }

    @Test func includePrintsEveryHeadButOnlyTheLastBody() async throws {
        let upstream = try await site(
            "127.0.10.2",
            ["/a": Self.redirect(302, to: "b"), "/b": HTTPResponder(body: "end")]
        )
        let port = try #require(upstream.address.port)
        let result = try await curl.run("curl -s -i -L http://127.0.10.2:\(port)/a")
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 302 Found\r\n"), "\(text)")
        #expect(text.contains("\r\n\r\nHTTP/1.1 200 OK\r\n"), "\(text)")
        #expect(text.hasSuffix("\r\n\r\nend"))
        #expect(!text.contains("moved"))
        await upstream.stop()
    }

    @Test func anotherHostGetsANewConnectionAndNotTheCustomHostHeader() async throws {
        let landing = try await site("127.0.10.3", ["/landing": HTTPResponder(body: "landed")])
        let landingPort = try #require(landing.address.port)
        let origin = try await site(
            "127.0.10.2",
            ["/go": Self.redirect(302, to: "http://other.example:\(landingPort)/landing")]
        )
        let port = try #require(origin.address.port)
        let result = try await curl.run(
            "curl -s -L -H 'Host: example.com' -H 'Authorization: Bearer x' --resolve other.example:\(landingPort):127.0.10.3 http://127.0.10.2:\(port)/go"
        )
        #expect(result.exitCode == 0)
        #expect(result.bodyText == "landed")
        let request = try #require(landing.connections.first?.requests.first)
        #expect(request.headers["Host"] == "other.example:\(landingPort)")
        #expect(request.headers["Authorization"] == nil, "credentials are not sent to another host")
        await origin.stop()
        await landing.stop()
    }

    @Test func postBecomesGetAfter302ButKeepsItsBodyAfter307() async throws {
        let upstream = try await site(
            "127.0.10.2",
            [
                "/found": Self.redirect(302, to: "/target"), "/temporary": Self.redirect(307, to: "/target"),
                "/target": HTTPResponder(body: "ok"),
            ]
        )
        let port = try #require(upstream.address.port)
        _ = try await curl.run("curl -s -L -d a=1 http://127.0.10.2:\(port)/found")
        _ = try await curl.run("curl -s -L -d a=1 http://127.0.10.2:\(port)/temporary")
        #expect(await upstream.waitUntilNoOpenConnections())
        let requests = upstream.connections.flatMap(\.requests)
        #expect(
            requests.map { "\($0.method) \($0.target)" } == [
                "POST /found", "GET /target", "POST /temporary", "POST /target",
            ]
        )
        #expect(requests[1].body.isEmpty && requests[1].headers["Content-Length"] == nil)
        #expect(requests[3].body == Array("a=1".utf8))
        await upstream.stop()
    }

    @Test func aRedirectLoopStopsAtMaxRedirsWithExit47() async throws {
        let upstream = try await site("127.0.10.2", ["/loop": Self.redirect(302, to: "/loop")])
        let port = try #require(upstream.address.port)
        let result = try await curl.run("curl -sS -L --max-redirs 2 http://127.0.10.2:\(port)/loop")
        #expect(result.exitCode == 47)
        #expect(result.stderr == "curl: (47) Maximum (2) redirects followed\n")
        #expect(upstream.connections.flatMap(\.requests).count == 3, "the first request and two redirects")
        await upstream.stop()
    }

    @Test(arguments: [
        ("/a/b/c", "d", "/a/b/d"),
        ("/a/b/c", "../d", "/a/d"),
        ("/a/b/c", "./d/.", "/a/b/d/"),
        ("/a/b/c?x=1", "?y=2", "/a/b/c?y=2"),
        ("/a", "/z?q#frag", "/z?q"),
        ("/", "../../up", "/up"),
    ])
    func locationsResolveAgainstTheRequestURL(base: String, location: String, path: String) throws {
        let url = try CurlURL(parsing: "http://h.example\(base)")
        #expect(try url.resolving(location: location).path == path)
    }

    @Test func absoluteAndSchemeRelativeLocationsNameTheirOwnHost() throws {
        let url = try CurlURL(parsing: "http://h.example:8080/a")
        #expect(try url.resolving(location: "https://other.example/x").description == "https://other.example/x")
        #expect(try url.resolving(location: "//other.example:81/y").description == "http://other.example:81/y")
    }
}
