/// Runs async operations one at a time, in call order: plan changes must not interleave.
actor AsyncSerializer {
    private var tail: Task<Void, Never>?

    func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tail
        let task = Task<T, any Error> {
            await previous?.value
            return try await operation()
        }
        tail = Task { _ = await task.result }
        return try await task.value
    }

    func run(_ operation: @escaping @Sendable () async -> Void) async {
        try? await run { () async throws -> Void in await operation() }
    }
}
