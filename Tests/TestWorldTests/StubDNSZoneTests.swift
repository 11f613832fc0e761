import DNSWire
import Testing

@testable import TestWorld

/// Replies `dig` cannot provoke: malformed queries, other opcodes, CNAME loops.
@Suite struct StubDNSZoneTests {
    private func reply(_ plan: StubDNSZone.ReplyPlan) throws -> DNSMessage {
        try DNSMessage(decoding: try #require(plan.reply))
    }

    @Test func unreadableQueryGetsFORMERRWithItsID() throws {
        let bytes = try #require(StubDNSZone.formatErrorReply(to: [0xAB, 0xCD, 0xFF]))
        let message = try DNSMessage(decoding: bytes)
        #expect(message.header.id == 0xABCD && message.header.responseCode == .formatError)
        #expect(StubDNSZone.formatErrorReply(to: [0xAB]) == nil)
    }

    @Test func otherOpcodesAreNotImplemented() throws {
        var query = DNSMessage.query(id: 1, name: try DNSName("a.example"), type: .a)
        query.header.opcode = DNSOpcode(rawValue: 2)
        #expect(try reply(StubDNSZone().plan(for: query, over: .udp)).header.responseCode == .notImplemented)
    }

    @Test func queriesWithoutExactlyOneQuestionAreFORMERR() throws {
        let query = DNSMessage(header: DNSHeader(id: 1))
        #expect(try reply(StubDNSZone().plan(for: query, over: .tcp)).header.responseCode == .formatError)
    }

    @Test func cnameLoopIsSERVFAIL() throws {
        var zone = StubDNSZone()
        zone.records[try DNSName("a.example")] = [try .cname("b.example")]
        zone.records[try DNSName("b.example")] = [try .cname("a.example")]
        let query = DNSMessage.query(id: 1, name: try DNSName("a.example"), type: .a)
        let message = try reply(zone.plan(for: query, over: .udp))
        #expect(message.header.responseCode == .serverFailure)
        #expect(message.answers.isEmpty)
    }

    @Test func cnameToAMissingNameKeepsTheAliasAndSaysNXDOMAIN() throws {
        var zone = StubDNSZone()
        zone.records[try DNSName("alias.example")] = [try .cname("gone.example")]
        let message = try reply(zone.plan(for: .query(id: 1, name: try DNSName("alias.example"), type: .a), over: .udp))
        #expect(message.header.responseCode == .nameError)
        #expect(message.answers.map(\.type) == [.cname])
    }
}
