import FrontProxy
import Testing

@Suite struct ResponseFlagsTests {
    @Test func emptyPrintsADash() {
        #expect(ResponseFlags().description == "-")
    }

    @Test func connectFailurePrintsLikeEnvoy() {
        let flags: ResponseFlags = [.upstreamRetryLimitExceeded, .upstreamConnectionFailure]
        #expect(flags.description == "UF,URX")
    }

    @Test(arguments: ["-", "NR", "NC", "UH", "UO", "UF,URX"])
    func shortNamesRoundTrip(text: String) throws {
        let flags = try #require(ResponseFlags(shortNames: text))
        #expect(flags.description == text)
    }

    @Test func unknownShortNameIsRejected() {
        #expect(ResponseFlags(shortNames: "NR,XX") == nil)
    }
}
