import DNSWire

/// The stub server's table and faults, and the pure logic that turns one query into what to send back.
struct StubDNSZone {
    var records: [DNSName: [StubDNSRecord]] = [:]
    var faults: [DNSName: StubDNSFault] = [:]
    /// TTL of the SOA in negative answers, and its negative-caching minimum (RFC 2308).
    var negativeTTL: UInt32 = 5

    /// CNAME chains longer than this (or looping) get SERVFAIL, as a recursive server would give up.
    static let maximumChainLength = 16
    /// The payload size the stub advertises in its own EDNS record (the DNS flag day 2020 value).
    static let advertisedUDPSize: UInt16 = 1232

    /// What to send for one query: nothing (`reply == nil`), or the reply bytes, possibly after a delay
    /// and after a forged answer.
    struct ReplyPlan {
        var reply: [UInt8]?
        var delayMilliseconds = 0
        var forged: [UInt8]?
        /// The forged answer goes out from another port than the server's.
        var forgedFromOtherSource = false
    }

    func plan(for query: DNSMessage, over transport: StubDNSTransport) -> ReplyPlan {
        var response = DNSMessage(
            header: DNSHeader(
                id: query.header.id,
                isResponse: true,
                opcode: query.header.opcode,
                isAuthoritativeAnswer: true,
                recursionDesired: query.header.recursionDesired,
                recursionAvailable: true
            ),
            questions: query.questions
        )
        let udpLimit = Self.udpPayloadLimit(of: query)
        if udpLimit != nil {
            response.additionals = [Self.optRecord]
        }
        guard query.header.opcode == .query else {
            response.header.responseCode = .notImplemented
            return ReplyPlan(reply: Self.encode(response, over: transport, udpLimit: udpLimit))
        }
        guard query.questions.count == 1, let question = query.questions.first else {
            response.header.responseCode = .formatError
            return ReplyPlan(reply: Self.encode(response, over: transport, udpLimit: udpLimit))
        }
        var plan = ReplyPlan()
        switch faults[question.name] {
        case .drop:
            return plan
        case .serverFailure:
            response.header.responseCode = .serverFailure
        case .nameError:
            response.header.responseCode = .nameError
            response.authorities = [soaRecord]
        case .noAnswer:
            response.authorities = [soaRecord]
        case .truncateUDP where transport == .udp:
            response.header.isTruncated = true
        case .delay(let milliseconds):
            answer(question, into: &response)
            plan.delayMilliseconds = max(0, milliseconds)
        case .forgedAnswerFirst(let forgery, let decoy) where transport == .udp:
            answer(question, into: &response)
            plan.forged = Self.encode(Self.forge(response, forgery, decoy: decoy), over: .udp, udpLimit: udpLimit)
            plan.forgedFromOtherSource = forgery == .wrongSource
        case .truncateUDP, .forgedAnswerFirst, nil:
            answer(question, into: &response)
        }
        plan.reply = Self.encode(response, over: transport, udpLimit: udpLimit)
        return plan
    }

    /// The reply to bytes that are not a query this server can read: FORMERR echoing the id when there is
    /// one, nothing otherwise.
    static func formatErrorReply(to bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 2 else { return nil }
        let id = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        let header = DNSHeader(id: id, isResponse: true, responseCode: .formatError)
        return try? DNSMessage(header: header).encoded()
    }

    // MARK: - Answers

    /// Follows CNAMEs inside the table and adds the records of the queried type, or the negative answer.
    private func answer(_ question: DNSQuestion, into response: inout DNSMessage) {
        var name = question.name
        var visited: Set<DNSName> = []
        for _ in 0..<Self.maximumChainLength {
            visited.insert(name)
            guard let owned = records[name] else {
                response.header.responseCode = .nameError
                response.authorities = [soaRecord]
                return
            }
            let matching = owned.filter { $0.data.type == question.type }
            if !matching.isEmpty {
                response.answers += matching.map { DNSResourceRecord(name: name, ttl: $0.ttl, data: $0.data) }
                return
            }
            guard let alias = owned.first(where: { $0.data.type == .cname }), case .cname(let target) = alias.data
            else {
                response.authorities = [soaRecord]
                return
            }
            response.answers.append(DNSResourceRecord(name: name, ttl: alias.ttl, data: alias.data))
            guard !visited.contains(target) else { break }
            name = target
        }
        response.header.responseCode = .serverFailure
        response.answers = []
    }

    private var soaRecord: DNSResourceRecord {
        DNSResourceRecord(
            name: .root,
            ttl: negativeTTL,
            data: .soa(
                DNSSOAData(
                    primaryNameServer: Self.stubName,
                    responsibleMailbox: Self.stubName,
                    serial: 1,
                    refresh: 3600,
                    retry: 600,
                    expire: 86400,
                    minimum: negativeTTL
                )
            )
        )
    }

    /// `stub.invalid.`: a name under the reserved `.invalid` TLD (RFC 2606) for the SOA's fields.
    private static let stubName: DNSName = {
        do {
            return try DNSName("stub.invalid")
        } catch {
            fatalError("the constant name stub.invalid is valid: \(error)")
        }
    }()

    // MARK: - Wire details

    private static let optRecord = DNSResourceRecord(
        name: .root,
        class: DNSClass(rawValue: advertisedUDPSize),
        ttl: 0,
        data: .unknown(type: .opt, bytes: [])
    )

    /// The most a UDP reply may carry: what the query's EDNS record offers (at least 512, at most 4096), or
    /// nil when the query has no EDNS record (then 512 applies and the reply carries no EDNS record either).
    private static func udpPayloadLimit(of query: DNSMessage) -> Int? {
        guard let opt = query.additionals.first(where: { $0.type == .opt }) else { return nil }
        return min(max(Int(opt.class.rawValue), DNSMessage.classicUDPSize), 4096)
    }

    /// The reply bytes; over UDP, a reply that does not fit is cut to its header and question with TC set.
    private static func encode(_ response: DNSMessage, over transport: StubDNSTransport, udpLimit: Int?) -> [UInt8]? {
        guard let bytes = try? response.encoded() else { return nil }
        guard transport == .udp, bytes.count > udpLimit ?? DNSMessage.classicUDPSize else { return bytes }
        var truncated = response
        truncated.header.isTruncated = true
        truncated.answers = []
        truncated.authorities = []
        truncated.additionals = response.additionals.filter { $0.type == .opt }
        return try? truncated.encoded()
    }

    private static func forge(_ response: DNSMessage, _ forgery: StubDNSForgery, decoy: DNSIPv4Address) -> DNSMessage {
        var forged = response
        forged.header.responseCode = .noError
        forged.authorities = []
        var name = response.questions.first?.name ?? .root
        switch forgery {
        case .wrongID:
            forged.header.id &+= 1
        case .wrongQuestion:
            name = (try? DNSName(labels: [Array("forged".utf8)] + name.labels)) ?? .root
            forged.questions = forged.questions.map { DNSQuestion(name: name, type: $0.type, class: $0.class) }
        case .wrongSource:
            break
        }
        forged.answers = [DNSResourceRecord(name: name, ttl: 3600, data: .a(decoy))]
        return forged
    }
}
