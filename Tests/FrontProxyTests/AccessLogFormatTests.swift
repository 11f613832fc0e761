import FrontProxy
import Harness
import Testing

/// The seed page's connection, as FrontProxy would record it.
private func seedRecord() -> ConnectionRecord {
    var record = ConnectionRecord(startTime: WallClockTime(nanosecondsSinceEpoch: 1_548_942_011_076_543_210))
    record.durationMilliseconds = 1644
    record.bytesReceived = 589
    record.bytesSent = 17798
    record.upstreamHost = EndpointAddress("172.217.31.132:443")
    record.upstreamCluster = "outbound|443||www.google.com"
    record.upstreamLocalAddress = EndpointAddress("172.30.230.33:54508")
    record.downstreamLocalAddress = EndpointAddress("172.30.230.33:443")
    record.downstreamRemoteAddress = EndpointAddress("10.127.220.75:49467")
    record.requestedServerName = "www.google.com"
    return record
}

@Suite struct AccessLogFormatTests {
    static let seedLogLine =
        #"[2019-01-31T13:40:11.076Z] "- - -" 0 - 589 17798 1644 - "-" "-" "-" "-" "172.217.31.132:443" outbound|443||www.google.com 172.30.230.33:54508 172.30.230.33:443 10.127.220.75:49467 www.google.com"#

    @Test func istio2019PresetReproducesTheSeedLogLineExactly() {
        #expect(AccessLogFormat.istio2019.render(seedRecord()) == Self.seedLogLine)
    }

    @Test func currentIstioFormatAddsDetailsAndRouteName() {
        var record = seedRecord()
        record.responseFlags = .noRouteFound
        record.responseCodeDetails = "filter_chain_not_found"
        record.upstreamHost = nil
        record.upstreamCluster = nil
        record.upstreamLocalAddress = nil
        record.bytesReceived = 0
        record.bytesSent = 0
        record.requestedServerName = "evil.example"
        #expect(
            AccessLogFormat.istio.render(record)
                == #"[2019-01-31T13:40:11.076Z] "- - -" 0 NR filter_chain_not_found - "-" 0 0 1644 - "-" "-" "-" "-" "-" - - 172.30.230.33:443 10.127.220.75:49467 evil.example -"#
        )
    }

    @Test func jsonPresetHasTypedValuesAndNullForAbsent() {
        let line = AccessLogFormat.json.render(seedRecord())
        #expect(line.hasPrefix(#"{"authority":null,"bytes_received":589,"bytes_sent":17798,"#))
        #expect(line.contains(#""upstream_cluster":"outbound|443||www.google.com""#))
        #expect(line.contains(#""response_code":0,"response_code_details":null,"response_flags":"-""#))
        #expect(line.contains(#""start_time":"2019-01-31T13:40:11.076Z""#))
    }

    @Test func customFormatStringsCompileWithTimePatternsAndLiteralPercent() throws {
        let format = try AccessLogFormat(
            presetOrFormatString: "%START_TIME(%s.%3f)% 100%% %REQUESTED_SERVER_NAME% %RESPONSE_FLAGS%\n"
        )
        #expect(format.render(seedRecord()) == "1548942011.076 100% www.google.com -")
    }

    @Test(arguments: [
        ("%NOT_A_THING%", "Not supported field in StreamInfo: %NOT_A_THING%"),
        ("%BYTES_SENT", "unterminated '%' at offset 0 in the access log format"),
        ("%START_TIME(%Q)%", "unsupported START_TIME specifier '%Q'"),
        ("verbose", "unknown access log format 'verbose'"),
    ])
    func badFormatsAreRejectedWithAReason(format: String, message: String) {
        let error = #expect(throws: AccessLogFormatError.self) { try AccessLogFormat(presetOrFormatString: format) }
        #expect(error?.description.hasPrefix(message) == true, "\(String(describing: error))")
    }

    @Test func aLineParsesBackIntoNamedFields() throws {
        let fields = try #require(AccessLogFormat.istio2019.fields(in: Self.seedLogLine))
        #expect(fields["UPSTREAM_HOST"] == "172.217.31.132:443")
        #expect(fields["UPSTREAM_CLUSTER"] == "outbound|443||www.google.com")
        #expect(fields["BYTES_RECEIVED"] == "589")
        #expect(fields["REQUESTED_SERVER_NAME"] == "www.google.com")
        #expect(fields["START_TIME"] == "2019-01-31T13:40:11.076Z")
        #expect(fields["REQ(:METHOD)"] == "-")
    }

    @Test func aLineOfAnotherShapeDoesNotParse() {
        #expect(AccessLogFormat.istio2019.fields(in: "GET / HTTP/1.1") == nil)
        #expect(AccessLogFormat.istio.fields(in: Self.seedLogLine) == nil)
    }

    @Test func jsonLinesParseBackWithNullAsDash() throws {
        let fields = try #require(AccessLogFormat.json.fields(in: AccessLogFormat.json.render(seedRecord())))
        #expect(fields["bytes_sent"] == "17798")
        #expect(fields["authority"] == "-")
        #expect(fields["requested_server_name"] == "www.google.com")
    }
}

@Suite struct StartTimeFormatTests {
    @Test(arguments: [
        ("%Y-%m-%dT%H:%M:%E6SZ", "2019-01-31T13:40:11.076543Z"),
        ("%F %T %z %Z", "2019-01-31 13:40:11 +0000 UTC"),
        ("%a %b %e %j", "Thu Jan 31 031"),
        ("%9f|%f|%1f", "076543210|076543210|0"),
    ])
    func patternsFormatInUTC(pattern: String, expected: String) throws {
        let time = WallClockTime(nanosecondsSinceEpoch: 1_548_942_011_076_543_210)
        #expect(try StartTimeFormat(pattern: pattern).format(time) == expected)
    }

    @Test func leapDaysAndTheEpochAreCalendarCorrect() throws {
        let format = try StartTimeFormat(pattern: "%F %j")
        #expect(format.format(WallClockTime(nanosecondsSinceEpoch: 0)) == "1970-01-01 001")
        // 2024-02-29T12:00:00Z
        #expect(format.format(WallClockTime(nanosecondsSinceEpoch: 1_709_208_000_000_000_000)) == "2024-02-29 060")
        // 2000-12-31 is day 366 of a leap century year.
        #expect(format.format(WallClockTime(nanosecondsSinceEpoch: 978_220_800_000_000_000)) == "2000-12-31 366")
    }
}

@Suite struct EndpointAddressTests {
    @Test(arguments: [
        ("127.0.0.1:443", "127.0.0.1:443"), ("[::1]:8443", "[::1]:8443"), ("[2001:db8::1]:53", "[2001:db8::1]:53"),
        ("[::ffff:172.30.230.33]:80", "[::ffff:172.30.230.33]:80"), ("[1:0:0:2:0:0:0:3]:1", "[1:0:0:2::3]:1"),
    ])
    func addressesPrintInCanonicalForm(text: String, canonical: String) throws {
        #expect(try #require(EndpointAddress(text)).description == canonical)
    }

    @Test(arguments: ["127.0.0.1", "256.0.0.1:1", "127.0.0.1:70000", "[::1:443", "1::2::3:1", "01.2.3.4.5:1"])
    func malformedAddressesAreRejected(text: String) {
        #expect(EndpointAddress(text) == nil)
    }

    @Test func ipv6RawBytesAreKept() throws {
        let address = try #require(EndpointAddress("[::1]:443"))
        #expect(address.addressBytes == [UInt8](repeating: 0, count: 15) + [1])
        #expect(address.host == "::1")
    }
}
