// swift-tools-version:6.0
import PackageDescription

/// The benchmark's own package: a load generator and a loopback upstream, kept apart from FrontProxy so the
/// bench builds (and measures) without touching the product's dependency graph.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")

let package = Package(
    name: "FrontProxyBench",
    products: [
        .executable(name: "loadgen", targets: ["loadgen"]),
        .executable(name: "upstream", targets: ["upstream"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0")
    ],
    targets: [
        .target(name: "BenchCore", dependencies: [nioCore], swiftSettings: swiftSettings),
        .executableTarget(
            name: "loadgen",
            dependencies: ["BenchCore", nioCore, nioPosix],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "upstream",
            dependencies: ["BenchCore", nioCore, nioPosix],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "BenchCoreTests", dependencies: ["BenchCore", nioCore], swiftSettings: swiftSettings),
    ]
)
