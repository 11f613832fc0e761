// Patterns that take exponential time in a backtracking engine finish in linear time here:
// each (instruction, position) pair is processed at most once.

import RE2Regex
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func seconds(_ body: () -> Void) -> Double {
    var a = timespec()
    var b = timespec()
    clock_gettime(CLOCK_MONOTONIC, &a)
    body()
    clock_gettime(CLOCK_MONOTONIC, &b)
    return Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
}

@Suite("Matching time is linear")
struct LinearTimeTests {
    static let many = String(repeating: "a", count: 10_000)

    @Test(
        "pathological patterns on 10,000 a's finish quickly",
        arguments: ["(a*)*b", "(a|a)*c", "(a+)+b", "(?:a|aa)*b", "(x+x+)+y|a*a*a*b"]
    )
    func pathological(_ pattern: String) throws {
        let re = try RE2Regex(pattern)
        // Generous bound for a debug build on a loaded CI machine; a backtracker needs years.
        let t = seconds {
            #expect(!re.fullMatch(Self.many))
            #expect(re.firstMatch(in: Self.many) == nil)
            #expect(re.replacingAll(in: Self.many, with: "x") == Self.many)
        }
        #expect(t < 10)
    }

    @Test("doubling the input roughly doubles the time")
    func scalesLinearly() throws {
        let re = try RE2Regex("(a|a)*c")
        let short = String(repeating: "a", count: 20_000)
        let long = String(repeating: "a", count: 40_000)
        _ = re.firstMatch(in: short)  // warm up
        let t1 = seconds { _ = re.firstMatch(in: short) }
        let t2 = seconds { _ = re.firstMatch(in: long) }
        #expect(t2 < t1 * 4 + 0.05, "20k: \(t1)s, 40k: \(t2)s")
    }

    @Test("a successful match at the end of a long input is found")
    func longMatch() throws {
        let re = try RE2Regex("(a*)*b")
        let text = Self.many + "b"
        #expect(re.fullMatch(text))
        let m = try #require(re.firstMatch(in: text))
        #expect(m[0] == text.startIndex..<text.endIndex)
    }
}
