#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs work that recurses once per tree level on a thread with a big stack.
///
/// Go accepts patterns nesting 1000 levels deep, and x{0,1000} expands to 1000 more; the
/// simplify and compile steps recurse that deep, needing a few MB of stack. Threads on a
/// server often have 512 KB, so such (rare) patterns are compiled on a dedicated thread
/// instead of risking a stack overflow that would take the whole proxy down.
enum LargeStack {
    /// Virtual size only: pages are committed as the recursion actually touches them.
    static let bytes = 64 << 20

    private final class Job: @unchecked Sendable {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    static func run<T>(_ body: @escaping () -> T) -> T {
        var result: T? = nil
        let job = Job { result = body() }
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, bytes)
        let context = Unmanaged.passRetained(job).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t? = nil
        #else
        var thread = pthread_t()
        #endif
        #if canImport(Darwin)
        let entry: @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? = { context in
            Unmanaged<Job>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }
        #else
        let entry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { context in
            guard let context else { return nil }
            Unmanaged<Job>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }
        #endif
        let rc = pthread_create(&thread, &attr, entry, context)
        if rc == 0 {
            #if canImport(Darwin)
            if let thread { pthread_join(thread, nil) }
            #else
            pthread_join(thread, nil)
            #endif
        } else {
            Unmanaged<Job>.fromOpaque(context).release()  // could not start: run here
            job.run()
        }
        #else
        job.run()
        #endif
        guard let r = result else { preconditionFailure("large-stack job did not run") }
        return r
    }
}
