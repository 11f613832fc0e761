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
        .library(name: "Harness", targets: ["Harness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
    ],
    targets: [
        // MARK: The proxy: pure Swift and SwiftNIO, no TLS library at all (the proxy never decrypts).
        .target(
            name: "MeshConfig",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(name: "TLSWire", swiftSettings: swiftSettings),
        .target(name: "DNSWire", swiftSettings: swiftSettings),
        .target(
            name: "FrontProxy",
            dependencies: [
                "MeshConfig", "TLSWire", "DNSWire", "CLinuxSockets", nioCore, nioPosix, nioHTTP1, logging,
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
            dependencies: ["COpenSSL", "DNSWire", "FrontProxy", nioCore, nioPosix],
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
        .executableTarget(
            name: "frontproxy",
            dependencies: [
                "FrontProxy", "MeshConfig", "Harness", logging, nioCore, nioHTTP1,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests, one target per module.
        .testTarget(name: "MeshConfigTests", dependencies: ["MeshConfig"], swiftSettings: swiftSettings),
        .testTarget(name: "TLSWireTests", dependencies: ["TLSWire"], swiftSettings: swiftSettings),
        .testTarget(name: "DNSWireTests", dependencies: ["DNSWire"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FrontProxyTests",
            dependencies: [
                "FrontProxy", "MeshConfig", "DNSWire", "TLSWire", "TestWorld", "CLinuxSockets", nioCore, nioPosix,
                nioHTTP1,
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "TestWorldTests", dependencies: ["TestWorld", nioCore], swiftSettings: swiftSettings),
        .testTarget(name: "HarnessTests", dependencies: ["Harness"], swiftSettings: swiftSettings),
        // Runs the built `frontproxy` executable with real clients (the executable is a sibling of the tests).
        .testTarget(
            name: "FrontProxyCLITests",
            dependencies: ["FrontProxy", "TestWorld", nioCore],
            swiftSettings: swiftSettings
        ),
    ]
)
