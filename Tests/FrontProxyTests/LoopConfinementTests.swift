import Logging
import MeshConfig
import Testing

@testable import FrontProxy

#if canImport(Glibc)
import Glibc
#endif

/// The data plane's confinement rules are checked, not promised: breaking one traps in a debug build. Each
/// violation runs in a child process (a Swift Testing exit test), which must die.
@Suite struct LoopConfinementTests {
    static func idleLoop() throws -> DataPlaneLoop {
        let context = RuntimeContext(
            configuration: ProxyRuntime.Configuration(),
            observability: ProxyObservability(accessLog: nil),
            resolver: ClusterEndpointResolver(dns: nil),
            logger: Logger(label: "test")
        )
        let plan = ServingPlan(
            RoutePlan(generation: 0, listeners: [], clusters: [:]),
            resolver: context.resolver,
            metrics: context.observability.metrics
        )
        return try DataPlaneLoop(context: context, plan: plan)
    }

    #if DEBUG
    @Test func openingALoopBoundValueOffItsLoopTraps() async {
        await #expect(processExitsWith: .failure) {
            let loop = try LoopConfinementTests.idleLoop()
            let bound = LoopBound(NSObjectBox(), loop: loop)
            _ = bound.value
        }
    }

    @Test func closingADescriptorTwiceTraps() async {
        await #expect(processExitsWith: .failure) {
            let descriptor = Glibc.dup(1)
            SystemCall.close(descriptor)
            SystemCall.close(descriptor)
        }
    }
    #endif

    @Test func aLoopBoundValueOpensOnItsLoop() async throws {
        let loop = try Self.idleLoop()
        loop.start(name: "confinement-test")
        let bound = LoopBound(NSObjectBox(), loop: loop)
        let opened = await loop.submit { _ in bound.value.answer }
        #expect(opened == 42)
        await loop.shutdown()
    }

    @Test func aRegistrationTokenCarriesKindSlotAndGeneration() {
        let token = RegistrationToken(kind: .upstream, slot: 70_000, generation: RegistrationToken.generationMask)
        let decoded = RegistrationToken(token.rawValue)
        #expect(decoded.kind == .upstream)
        #expect(decoded.slot == 70_000)
        #expect(decoded.generation == RegistrationToken.generationMask)
        let reused = RegistrationToken(kind: .upstream, slot: 70_000, generation: 1)
        #expect(reused != token, "a reused slot's new registration is told apart from the old one's events")
    }
}

final class NSObjectBox: Sendable {
    let answer = 42
}
