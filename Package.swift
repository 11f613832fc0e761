// swift-tools-version:6.0
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode comes with the tools version; these add the
/// upcoming features the SwiftNIO and Hummingbird codebases enable.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioHTTP1 = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")

let package = Package(
    name: "FrontProxy",
    products: [
        .executable(name: "frontproxy", targets: ["frontproxy"]),
        .library(name: "FrontProxy", targets: ["FrontProxy"]),
        .library(name: "MeshConfig", targets: ["MeshConfig"]),
        .library(name: "TLSWire", targets: ["TLSWire"]),
        .library(name: "DNSWire", targets: ["DNSWire"]),
        // What users' own `swift test` imports to run scenarios (as HummingbirdTesting and NIOTestUtils are):
        // the scenario runner with test-framework reporting, the test bed, and the test world beneath it.
        .library(name: "FrontProxyTesting", targets: ["FrontProxyTesting", "Harness", "TestWorld"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    ],
    targets: [
        // MARK: The proxy: pure Swift and SwiftNIO, no TLS library at all (the proxy never decrypts).
        .target(
            name: "MeshConfig",
            dependencies: ["InternetAddress", "RE2Regex", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // HTTP/1.x heads and body framing, strict enough for a proxy that must not be smuggled through.
        .target(name: "HTTPWire", swiftSettings: swiftSettings),
        // RE2 syntax and linear-time matching, as Istio validates and Envoy evaluates VirtualService regexes.
        .target(name: "RE2Regex", swiftSettings: swiftSettings),
        .target(name: "TLSWire", swiftSettings: swiftSettings),
        // IP literals and host:port text: the one parser of each, for every module below.
        .target(name: "InternetAddress", swiftSettings: swiftSettings),
        .target(name: "DNSWire", dependencies: ["InternetAddress"], swiftSettings: swiftSettings),
        // DNS over TCP framing as a SwiftNIO decoder, for the resolver and the test world's stub server.
        .target(name: "DNSWireNIO", dependencies: ["DNSWire", nioCore], swiftSettings: swiftSettings),
        .target(
            name: "FrontProxy",
            dependencies: [
                "MeshConfig", "TLSWire", "DNSWire", "DNSWireNIO", "HTTPWire", "InternetAddress", "CLinuxSockets",
                nioCore, nioPosix, nioHTTP1, logging,
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),

        // epoll, eventfd and accept4 for the data plane: a module map over the system headers, no C code.
        .systemLibrary(name: "CLinuxSockets"),

        // MARK: System OpenSSL, for the test TLS endpoints only.
        // Link-only system module: contributes -lssl -lcrypto and the apt hint, no headers (headers in a
        // system module's own header are not tracked by the build).
        .systemLibrary(name: "CSystemOpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // The OpenSSL headers plus thin prefixed shims for the macros Swift cannot import.
        .target(name: "COpenSSL", dependencies: ["CSystemOpenSSL"]),

        // MARK: The simulation and conformance harness.
        .target(
            name: "TestWorld",
            dependencies: ["COpenSSL", "DNSWire", "DNSWireNIO", "InternetAddress", nioCore, nioPosix],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Harness",
            dependencies: [
                "FrontProxy", "MeshConfig", "TestWorld", nioCore, nioPosix, logging,
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FrontProxyTesting",
            dependencies: ["FrontProxy", "MeshConfig", "Harness", "TestWorld", nioCore, nioPosix, logging],
            swiftSettings: swiftSettings
        ),
        // The CLI links the harness (for `frontproxy test`), and through it the test world's OpenSSL; the
        // proxy's own modules link no TLS library.
        .executableTarget(
            name: "frontproxy",
            dependencies: [
                "FrontProxy", "MeshConfig", "Harness", "InternetAddress", logging, nioCore, nioHTTP1,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // How many HTTP route cases per second the offline evaluator decides (bench/route-table/main.swift).
        .executableTarget(
            name: "route-table-bench",
            dependencies: ["MeshConfig"],
            path: "bench/route-table",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests, one target per module.
        .testTarget(name: "MeshConfigTests", dependencies: ["MeshConfig"], swiftSettings: swiftSettings),
        .testTarget(name: "RE2RegexTests", dependencies: ["RE2Regex"], swiftSettings: swiftSettings),
        .testTarget(name: "HTTPWireTests", dependencies: ["HTTPWire"], swiftSettings: swiftSettings),
        .testTarget(name: "TLSWireTests", dependencies: ["TLSWire", "TestWorld"], swiftSettings: swiftSettings),
        .testTarget(name: "DNSWireTests", dependencies: ["DNSWire"], swiftSettings: swiftSettings),
        .testTarget(name: "InternetAddressTests", dependencies: ["InternetAddress"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FrontProxyTests",
            dependencies: [
                "FrontProxy", "FrontProxyTesting", "Harness", "MeshConfig", "DNSWire", "TLSWire", "TestWorld",
                "CLinuxSockets", nioCore, nioPosix, nioHTTP1,
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "TestWorldTests", dependencies: ["TestWorld", nioCore], swiftSettings: swiftSettings),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "TestWorld"], swiftSettings: swiftSettings),
        // The README's "In your own package's tests" example, compiled and run as a user's test target.
        .testTarget(name: "FrontProxyTestingTests", dependencies: ["FrontProxyTesting"], swiftSettings: swiftSettings),
        // Runs the built `frontproxy` executable with real clients (the executable is a sibling of the tests).
        .testTarget(
            name: "FrontProxyCLITests",
            dependencies: ["FrontProxy", "Harness", "TestWorld", nioCore],
            swiftSettings: swiftSettings
        ),
    ]
)
