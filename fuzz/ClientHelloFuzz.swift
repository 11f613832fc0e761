// libFuzzer target for ClientHelloReader. Built with the TLSWire sources by fuzz/run-clienthello.sh (swiftc,
// -sanitize=fuzzer,address): no package, no dependencies.
//
// Each input is read three ways: whole, one byte per feed, and cut into pieces whose sizes come from the input
// itself. Invariants: no crash (ASan watches every read), the same outcome whichever way the bytes arrive, and
// never more bytes examined than were fed or than the limit allows. A broken invariant traps, which libFuzzer
// reports as a crash with its input saved.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClientHelloReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    // The limit varies with the input too, so small limits (the tooLarge paths) are explored.
    let limit = size > 0 && input[0] & 1 == 1 ? 16_384 : 64 + Int(input[size > 1 ? 1 : 0]) * 8

    var whole = ClientHelloReader(maximumLength: limit)
    let expected = whole.feed(input)
    check(whole.bytesExamined <= size && whole.bytesExamined <= max(limit, 5), "bytesExamined out of bounds")
    if case .complete(let hello) = expected {
        check(hello.bytesExamined == whole.bytesExamined, "hello.bytesExamined differs from the reader's")
        check(hello.serverName.map { $0.utf8.count <= 255 } ?? true, "server name longer than 255")
    }

    var bytewise = ClientHelloReader(maximumLength: limit)
    var outcome = ClientHelloReader.Outcome.needMoreBytes
    for index in 0..<size {
        outcome = bytewise.feed(UnsafeRawBufferPointer(rebasing: input[index..<(index + 1)]))
    }
    check(outcome == expected, "one byte per feed gave a different outcome")
    check(bytewise.bytesExamined == whole.bytesExamined, "one byte per feed examined a different count")

    var pieces = ClientHelloReader(maximumLength: limit)
    var start = 0
    var seed = UInt32(truncatingIfNeeded: size) &* 2_654_435_761
    outcome = .needMoreBytes
    while start < size {
        seed ^= UInt32(input[start]) &+ 0x9E37_79B9
        seed = seed &* 1_664_525 &+ 1_013_904_223
        let length = min(size - start, Int(seed >> 22) % 300)
        outcome = pieces.feed(UnsafeRawBufferPointer(rebasing: input[start..<(start + length)]))
        start += length
    }
    check(outcome == expected, "pieces gave a different outcome")
    return 0
}

private func check(_ condition: Bool, _ message: StaticString) {
    if !condition { fatalError("invariant broken: \(message)") }
}
