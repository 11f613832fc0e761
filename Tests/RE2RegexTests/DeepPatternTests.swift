// Go accepts nesting up to 1000 levels, and x{0,1000} expands to 1000 nested optionals. The
// recursive compile steps for those run on a big-stack thread, so compiling them from a thread
// with a small stack (as server threads often have) must not overflow it.

import RE2Regex
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` on a new thread with only `stackBytes` of stack, and waits for it.
private func onSmallStack(_ stackBytes: Int, _ body: @escaping @Sendable () -> Void) {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var attr = pthread_attr_t()
    pthread_attr_init(&attr)
    defer { pthread_attr_destroy(&attr) }
    pthread_attr_setstacksize(&attr, stackBytes)
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    #if canImport(Darwin)
    var thread: pthread_t? = nil
    let entry: @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? = { c in
        Unmanaged<Box>.fromOpaque(c).takeRetainedValue().body()
        return nil
    }
    if pthread_create(&thread, &attr, entry, context) == 0, let thread { pthread_join(thread, nil) }
    #else
    var thread = pthread_t()
    let entry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { c in
        guard let c else { return nil }
        Unmanaged<Box>.fromOpaque(c).takeRetainedValue().body()
        return nil
    }
    if pthread_create(&thread, &attr, entry, context) == 0 { pthread_join(thread, nil) }
    #endif
}

@Suite("Deeply nested patterns")
struct DeepPatternTests {
    static let patterns: [(String, String, Bool)] = [
        (String(repeating: "(", count: 999) + "a" + String(repeating: ")", count: 999), "a", true),
        (String(repeating: "(?:", count: 999) + "a" + String(repeating: ")*", count: 999), "aaa", true),
        ("a{0,1000}", String(repeating: "a", count: 1000), true),
        ("(?:a{0,30}){0,33}b", String(repeating: "a", count: 990) + "b", true),
        ("(?:" + String(repeating: "a|", count: 5000) + "b)", "b", true),
    ]

    @Test("deep patterns compile and match from a thread with a 256 KB stack")
    func compileOnSmallStack() {
        let results = ResultBox()
        onSmallStack(256 << 10) {
            for (pattern, text, expected) in DeepPatternTests.patterns {
                let ok = (try? RE2Regex(pattern)).map {
                    $0.fullMatch(text) == expected && $0.firstMatch(in: text) != nil
                }
                results.append(ok == true)
            }
        }
        #expect(results.values == Array(repeating: true, count: DeepPatternTests.patterns.count))
    }

    @Test("too deep a pattern is still rejected from a small stack")
    func rejectOnSmallStack() {
        let results = ResultBox()
        onSmallStack(256 << 10) {
            let deep = String(repeating: "(", count: 1001) + String(repeating: ")", count: 1001)
            do {
                _ = try RE2Regex(deep)
                results.append(false)
            } catch let error as RE2SyntaxError {
                results.append(error.code == .nestingDepth)
            } catch {
                results.append(false)
            }
        }
        #expect(results.values == [true])
    }
}

/// Collects results from the other thread (written before pthread_join returns).
private final class ResultBox: @unchecked Sendable {
    var values: [Bool] = []
    func append(_ v: Bool) { values.append(v) }
}
