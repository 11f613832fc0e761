import CLinuxSockets
import HTTPWire
import MeshConfig
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.x client connection on a gateway `HTTP` port, from accept to close, on its loop's thread.
///
/// Requests are read one after another (pipelined ones wait in `input`, answered in order). Each is routed on
/// its own through the loop's current plan (`RequestRouting.decide`): answered locally (404 NR, 503 NC, a
/// redirect, a direct response, a fault abort, a CORS preflight), or forwarded on an upstream connection
/// from the loop's pool, with the head rewritten as Envoy does and the body streamed in its own framing.
/// Backpressure both ways: the side that feeds a socket with queued bytes is not read until they drain.
/// Every request writes its access-log line and Istio's request metrics when it ends.
final class HTTPProxyConnection: HTTPUpstreamOwner {
    enum Phase: Equatable {
        /// Waiting for (the rest of) a request head.
        case awaitingHead
        /// The request is routed; endpoints are being resolved, or a fault delay holds it.
        case preparing
        /// An upstream connection is being opened for the request.
        case connecting
        /// The head went upstream; the body and the response stream.
        case exchanging
        /// Upgraded (101): bytes are relayed both ways; each direction ends on its own (`shut` says which
        /// FINs were passed on), and the tunnel ends when both have.
        case tunnel(shut: TunnelHalves)
        /// A local reply (or the end of a response) is being flushed; then the next request, or close.
        case finishing
        /// The last response is written and the write side shut; what the client still sends is read and
        /// dropped until it closes (or `lingerUntil`), so closing with unread bytes does not reset the
        /// connection before the client has read the response (a "lingering close", as HTTP servers do).
        case lingering
        case closed
    }

    unowned(unsafe) let loop: DataPlaneLoop
    private let descriptor: Int32
    let listenerName: String
    /// The gateway server port (what routes match on), not the port actually bound.
    private let port: Int
    private let remote: EndpointAddress?
    private let local: EndpointAddress?
    var slot: UInt32 = 0
    /// Drain bookkeeping asks for a chain; an HTTP connection has the listener's one chain.
    let chainID: String?

    private(set) var phase = Phase.awaitingHead
    /// Client bytes read but not yet consumed: a partial head, or pipelined requests.
    private var input: [UInt8] = []
    private var output = OutboundBytes()
    private var clientReadable = false
    private var clientWritable = true
    private var clientEnded = false
    private var exchange: HTTPExchange?
    private var lastActivity: NIODeadline
    private var drainDeadline = NIODeadline.distantFuture
    private var isResuming = false
    private var lingerUntil = NIODeadline.distantFuture
    private var lingered = 0

    private var context: RuntimeContext { loop.context }

    /// The most client bytes held while a request is in progress (the next pipelined request, mostly).
    static let inputLimit = 64 * 1024
    private static let interest = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue

    private init(
        descriptor: Int32,
        listener: ListenerPlan,
        remote: EndpointAddress?,
        local: EndpointAddress?,
        loop: DataPlaneLoop
    ) {
        self.descriptor = descriptor
        self.listenerName = listener.name
        self.port = listener.port
        self.remote = remote
        self.local = local
        self.loop = loop
        chainID = listener.chains.first?.id
        lastActivity = loop.now
    }

    static func start(
        descriptor: Int32,
        remote: EndpointAddress?,
        local: EndpointAddress?,
        listener: ListenerPlan,
        loop: DataPlaneLoop
    ) {
        let connection = HTTPProxyConnection(
            descriptor: descriptor,
            listener: listener,
            remote: remote,
            local: local,
            loop: loop
        )
        loop.context.registry.downstreamOpened()
        let token = loop.adopt(connection)
        do {
            try loop.register(descriptor, token: token, events: Self.interest)
        } catch {
            connection.close()
        }
    }

    // MARK: - Readiness

    func handle(_ events: UInt32) {
        guard phase != .closed else { return }
        if events & EPOLLERR.rawValue != 0 {
            exchange?.report.failed(.downstreamConnectionTermination)
            return close()
        }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue) != 0 { clientReadable = true }
        if events & (EPOLLOUT.rawValue | EPOLLHUP.rawValue) != 0 { clientWritable = true }
        resume()
    }

    /// Does all the work readiness allows: flush, read, parse, forward. Re-entrant calls (an event handled
    /// while the connection is already working) return at once: the running loop picks the work up.
    func resume() {
        guard !isResuming else { return }
        isResuming = true
        defer { isResuming = false }
        var turns = 0
        while phase != .closed && turns < 16 {
            turns += 1
            guard step() else { return }
        }
        if phase != .closed { loop.scheduleRunnable(self) }
    }

    /// One round of work; false when nothing more can happen until the next readiness edge.
    private func step() -> Bool {
        if output.flush(to: descriptor, writable: &clientWritable) != nil {
            exchange?.report.failed(.downstreamConnectionTermination)
            close()
            return false
        }
        switch phase {
        case .awaitingHead:
            if parseHead() { return true }
            return readClient()
        case .preparing, .connecting:
            // Keep reading for the body only as far as the input limit; the upstream is not there yet.
            return input.count < Self.inputLimit && readClient()
        case .exchanging:
            return pumpExchange()
        case .tunnel(let shut):
            return pumpTunnel(shut: shut)
        case .finishing:
            guard output.isEmpty else { return false }
            return finishedWriting()
        case .lingering:
            return linger()
        case .closed:
            return false
        }
    }

    /// Reads what the client sent into `input`; false when there is nothing to read.
    private func readClient() -> Bool {
        guard clientReadable, !clientEnded else { return false }
        let scratch = loop.scratch
        switch SystemCall.read(descriptor, into: scratch.baseAddress!, count: scratch.count) {
        case .bytes(0):
            clientEnded = true
            clientReadable = false
            clientClosed()
            return phase != .closed
        case .bytes(let count):
            if count < scratch.count { clientReadable = false }
            input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            lastActivity = loop.now
            return true
        case .wouldBlock:
            clientReadable = false
            return false
        case .failed:
            exchange?.report.failed(.downstreamConnectionTermination)
            close()
            return false
        }
    }

    /// The client's FIN: between requests the connection just ends; during one, Envoy's `DC`.
    private func clientClosed() {
        switch phase {
        case .awaitingHead:
            // A head cut short by the client's FIN gets no reply: there is no request to answer.
            close()
        case .finishing:
            break
        default:
            // Envoy's HTTP/1 codec has no half-closed client: its FIN resets the request in flight, even one
            // whose body was complete, and the upstream request with it.
            if let exchange { exchange.report.failed(.downstreamConnectionTermination) }
            close()
        }
    }

    // MARK: - Requests

    /// Parses a request head from `input`; true when one was taken (or rejected).
    private func parseHead() -> Bool {
        guard !input.isEmpty else { return false }
        let parsed = input.withUnsafeBytes { HTTPHeadParser.parseRequest($0) }
        switch parsed {
        case .incomplete:
            return false
        case .invalid(let error):
            reject(error)
            return true
        case .complete(let head, let length):
            input.removeFirst(length)
            begin(head)
            return true
        }
    }

    /// A request the codec refused: the reply, a `DPE` line, and the connection closes (it cannot be resynced).
    private func reject(_ error: HTTPParseError) {
        let report = HTTPRequestReport(
            context: context,
            remote: remote,
            local: local,
            now: loop.now,
            fields: HTTPExchangeFields(
                method: "-",
                path: "-",
                authority: "-",
                protocolName: "HTTP/1.1",
                requestHeaders: []
            )
        )
        let reply = LocalReply.rejected(status: error.status, details: error.details)
        exchange = HTTPExchange(head: nil, report: report, keepAlive: false, method: "")
        sendLocalReply(reply)
    }

    /// The request body's framing is broken: 400 DPE if no response has started, and the connection closes.
    private func rejectBody() {
        guard let exchange else { return close() }
        exchange.requestComplete = true
        exchange.keepAlive = false
        if exchange.responseHead != nil {
            exchange.report.failed(.downstreamProtocolError)
            return close()
        }
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            upstream.close()
        }
        sendLocalReply(.rejected(status: 400, details: "http1.codec_error"))
    }

    private func begin(_ head: HTTPRequestHead) {
        let fields = head.headers.map { (name: $0.name, value: $0.value) }
        let authority = head.host ?? ""
        let request = HTTPRouteRequest(
            method: head.method,
            authority: authority,
            path: head.target.pathAndQuery,
            headers: fields
        )
        // Envoy's connection manager sets these before routing, so local replies log them too.
        let requestID = head.headers.firstValue(named: "x-request-id") ?? loop.random.uuid()
        let client = remote?.host ?? ""
        let forwardedFor = head.headers.values(named: "x-forwarded-for").joined(separator: ",")
        var logged = fields.compactMap { field -> HTTPExchangeFields.HeaderField? in
            let name = field.name.asciiLowercased()
            guard name != "x-request-id" && name != "x-forwarded-for" && name != "x-forwarded-proto" else { return nil }
            return HTTPExchangeFields.HeaderField(name: name, value: field.value)
        }
        logged.append(
            HTTPExchangeFields.HeaderField(
                name: "x-forwarded-for",
                value: forwardedFor.isEmpty ? client : "\(forwardedFor),\(client)"
            )
        )
        logged.append(HTTPExchangeFields.HeaderField(name: "x-forwarded-proto", value: "http"))
        logged.append(HTTPExchangeFields.HeaderField(name: "x-request-id", value: requestID))
        let report = HTTPRequestReport(
            context: context,
            remote: remote,
            local: local,
            now: loop.now,
            fields: HTTPExchangeFields(
                method: head.method,
                path: head.target.pathAndQuery,
                authority: authority,
                protocolName: head.version.description,
                requestHeaders: logged
            )
        )
        let exchange = HTTPExchange(head: head, report: report, keepAlive: head.keepAlive, method: head.method)
        exchange.requestID = requestID
        self.exchange = exchange
        let framer = HTTPBodyFramer(request: head)
        exchange.requestFramer = framer
        exchange.requestComplete = framer.isDone
        // The body bytes that came with the head are checked before anything is routed: a broken chunked
        // body read in the same packet is refused before an upstream sees a byte, as Envoy's codec does
        // when it parses the whole read before its router connects.
        var lookahead = framer
        if !input.isEmpty, (try? input.withUnsafeBytes { try lookahead.consume($0) }) == nil {
            return rejectBody()
        }
        guard let plan = loop.plan.listener(named: listenerName) != nil ? loop.plan : nil else {
            return sendLocalReply(.routeNotFound())
        }
        let disposition = RequestRouting.decide(
            request,
            port: port,
            plan: plan.routePlan,
            roll: { Double(self.loop.random.next() % 1_000_000) / 10_000 },
            pick: { Int(self.loop.random.next() % UInt64($0)) }
        )
        switch disposition {
        case .reply(let reply, let route):
            exchange.report.routed(route: route, cluster: nil)
            sendLocalReply(reply)
        case .forward(let forward):
            exchange.forward = forward
            exchange.report.routed(route: forward.route, cluster: plan.cluster(named: forward.cluster)?.plan)
            exchange.retry = forward.action.retry
            if head.expectsContinue && !(exchange.requestFramer?.isDone ?? true) {
                // Envoy answers `Expect: 100-continue` itself and does not forward it.
                _ = output.send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), to: descriptor, writable: &clientWritable)
            }
            if let delay = forward.delay {
                exchange.report.failed(.delayInjected)
                exchange.delayUntil = loop.now + TimeAmount(delay)
                phase = .preparing
                return
            }
            resolveAndConnect()
        }
    }

    /// Finds the cluster's endpoints (at once when cached) and connects, or answers UH/UO.
    private func resolveAndConnect() {
        guard let exchange, let forward = exchange.forward else { return }
        phase = .preparing
        guard let cluster = loop.plan.cluster(named: forward.cluster) else { return sendLocalReply(.clusterNotFound()) }
        if exchange.heldCluster == nil {
            guard context.registry.acquireUpstream(cluster: cluster.plan.name) else {
                return sendLocalReply(.upstreamOverflow())
            }
            exchange.heldCluster = cluster.plan.name
        }
        if let endpoints = cluster.fixedEndpoints ?? context.resolver.immediateEndpoints(of: cluster.plan) {
            return resolved(endpoints, cluster: cluster.plan.name)
        }
        let bound = LoopBound(self, loop: loop)
        let expected = ObjectIdentifier(exchange)
        context.resolver.endpoints(of: cluster.plan) { result in
            bound.loop.execute {
                let connection = bound.value
                guard let current = connection.exchange, ObjectIdentifier(current) == expected else { return }
                connection.resolved(result, cluster: cluster.plan.name)
                connection.resume()
            }
        }
    }

    private func resolved(_ result: Result<[WeightedEndpoint], any Error>, cluster: String) {
        guard phase == .preparing, let exchange else { return }
        switch result {
        case .success(let endpoints):
            guard let endpoint = context.selector.endpoint(of: cluster, among: endpoints) else {
                return sendLocalReply(.noHealthyUpstream())
            }
            connect(to: endpoint, cluster: cluster)
        case .failure(let error):
            exchange.report.transportFailure("\(error)")
            sendLocalReply(.noHealthyUpstream())
        }
    }

    private func connect(to endpoint: EndpointAddress, cluster: String) {
        guard let exchange else { return }
        exchange.attempts += 1
        exchange.report.upstreamChosen(endpoint)
        if let pooled = loop.pool.take(cluster: cluster, endpoint: endpoint) {
            pooled.assign(to: self)
            exchange.upstream = pooled
            return upstreamConnected(pooled)
        }
        let target =
            context.configuration.upstreamAddressMap(endpoint).map(SocketAddressStorage.init)
            ?? SocketAddressStorage(endpoint)
        do {
            exchange.upstream = try HTTPUpstreamConnection.connect(
                to: target,
                endpoint: endpoint,
                cluster: cluster,
                owner: self,
                loop: loop
            )
            phase = .connecting
            exchange.connectDeadline = loop.now + loop.timeouts.connect
        } catch {
            upstreamConnectFailed(error.errno)
        }
    }

    // MARK: - Upstream events

    func upstreamConnected(_ upstream: HTTPUpstreamConnection) {
        guard let exchange, exchange.upstream === upstream, let forward = exchange.forward, let head = exchange.head
        else {
            return
        }
        exchange.connectDeadline = .distantFuture
        exchange.report.upstreamConnected(localAddress: upstream.localAddress)
        let (bytes, headers) = HeadRewriting.upstreamRequest(
            HeadRewriting.ForwardedRequest(
                method: head.method,
                path: forward.path,
                authority: forward.authority,
                clientAddress: remote?.host ?? "",
                requestID: exchange.requestID,
                attempt: exchange.attempts,
                originalPath: forward.path != head.target.pathAndQuery ? head.target.pathAndQuery : nil,
                timeout: forward.action.timeout,
                mutation: forward.requestHeaders,
                upgrade: head.upgrade
            ),
            fields: head.headers.map { (name: $0.name, value: $0.value) }
        )
        exchange.report.forwarded(path: forward.path, authority: forward.authority, headers: headers)
        if exchange.upstreamHead.isEmpty { exchange.upstreamHead = bytes }
        exchange.sentAt = loop.now
        phase = .exchanging
        if exchange.requestComplete { requestCompleted() }
        if exchange.attempts > 1, !exchange.retryBody.isEmpty {
            // A retry replays the body bytes already sent (kept while they fit the retry buffer).
            _ = upstream.output.send(bytes + exchange.retryBody, to: upstream.descriptor, writable: &upstream.writable)
        } else if upstream.output.send(bytes, to: upstream.descriptor, writable: &upstream.writable) != nil {
            return upstreamFailed(upstream)
        }
        resume()
    }

    func upstreamConnectFailed(_ code: Int32) {
        defer { resume() }
        guard let exchange else { return }
        exchange.upstream = nil
        let reason =
            code == ECONNREFUSED
            ? "delayed_connect_error:_Connection_refused" : SystemCallError(call: "connect", errno: code).reason
        exchange.report.transportFailure(reason)
        if retryAllowed(on: "connect-failure") { return retry() }
        sendLocalReply(.connectFailure(reason.replacingUnderscores, retried: exchange.attempts > 1))
    }

    /// The upstream reset or closed while carrying the request.
    func upstreamFailed(_ upstream: HTTPUpstreamConnection) {
        defer { resume() }
        guard let exchange, exchange.upstream === upstream else { return }
        exchange.upstream = nil
        upstream.close()
        if exchange.responseHead == nil {
            if retryAllowed(on: "reset") { return retry() }
            return sendLocalReply(.upstreamReset(retried: exchange.attempts > 1))
        }
        // The response had started: the client cannot be told; the connection ends (Envoy's UC).
        exchange.report.failed(.upstreamConnectionTermination)
        close()
    }

    func upstreamReady(_ upstream: HTTPUpstreamConnection) {
        guard let exchange, exchange.upstream === upstream else { return }
        resume()
    }

    // MARK: - Streaming

    /// Moves request body bytes up and response bytes down; false when waiting for readiness.
    private func pumpExchange() -> Bool {
        guard let exchange, let upstream = exchange.upstream else { return false }
        if upstream.output.flush(to: upstream.descriptor, writable: &upstream.writable) != nil {
            upstreamFailed(upstream)
            return false
        }
        var progressed = false
        // Request body: what is in `input` first, then fresh reads.
        if !exchange.requestComplete && upstream.output.isEmpty {
            if !input.isEmpty {
                progressed = forwardRequestBody(from: input.count, upstream: upstream)
            } else if clientReadable && !clientEnded {
                progressed = readClient()
            }
        } else if exchange.requestComplete && clientReadable && !clientEnded && input.count < Self.inputLimit {
            // Pipelined requests wait in `input`; reading also finds the client's FIN (`clientClosed`).
            progressed = readClient()
        }
        guard phase == .exchanging, self.exchange === exchange else { return false }
        // Response: only while the client can take it.
        if output.isEmpty && upstream.readable {
            progressed = readUpstream(upstream) || progressed
        }
        return progressed && phase != .closed
    }

    /// Sends the request body bytes at the front of `input` (as far as the framing says they are body).
    private func forwardRequestBody(from available: Int, upstream: HTTPUpstreamConnection) -> Bool {
        guard let exchange, var framer = exchange.requestFramer else { return false }
        let consumed: (bodyBytes: Int, done: Bool)
        do {
            consumed = try input.withUnsafeBytes { try framer.consume($0) }
        } catch {
            exchange.requestFramer = framer
            rejectBody()
            return false
        }
        exchange.requestFramer = framer
        if consumed.bodyBytes > 0 {
            let body = Array(input[0..<consumed.bodyBytes])
            input.removeFirst(consumed.bodyBytes)
            exchange.report.requestBodyBytes += Int64(consumed.bodyBytes)
            if exchange.retryBody.count + body.count <= HTTPExchange.retryBufferLimit {
                exchange.retryBody += body
            } else {
                exchange.retryBody = []
                exchange.retryBodyOverflowed = true
            }
            if upstream.output.send(body, to: upstream.descriptor, writable: &upstream.writable) != nil {
                upstreamFailed(upstream)
                return false
            }
        }
        if consumed.done { requestCompleted() }
        return consumed.bodyBytes > 0 || consumed.done
    }

    /// The whole request is upstream: Envoy's route timeout runs from here to the end of the response, and
    /// mirrors get their copy.
    private func requestCompleted() {
        guard let exchange else { return }
        exchange.requestComplete = true
        sendMirrors(exchange)
        if let timeout = exchange.forward?.action.timeout, exchange.responseDeadline == .distantFuture {
            exchange.responseDeadline = loop.now + TimeAmount(timeout)
        }
    }

    /// Reads the response: its head (rewritten on the way), then body bytes to the client.
    private func readUpstream(_ upstream: HTTPUpstreamConnection) -> Bool {
        guard let exchange else { return false }
        let scratch = loop.scratch
        switch SystemCall.read(upstream.descriptor, into: scratch.baseAddress!, count: scratch.count) {
        case .bytes(0):
            upstream.readable = false
            return upstreamEnded(upstream)
        case .bytes(let count):
            if count < scratch.count && !upstream.closing { upstream.readable = false }
            let bytes = UnsafeRawBufferPointer(rebasing: scratch[0..<count])
            lastActivity = loop.now
            if exchange.responseHead == nil {
                exchange.responseBuffer.append(contentsOf: bytes)
                return parseResponseHead(upstream)
            }
            return forwardResponseBody(bytes, upstream: upstream)
        case .wouldBlock:
            upstream.readable = false
            return false
        case .failed:
            upstreamFailed(upstream)
            return false
        }
    }

    private func parseResponseHead(_ upstream: HTTPUpstreamConnection) -> Bool {
        guard let exchange, let forward = exchange.forward else { return false }
        let parsed = exchange.responseBuffer.withUnsafeBytes {
            HTTPHeadParser.parseResponse($0, requestMethod: exchange.method)
        }
        switch parsed {
        case .incomplete:
            return true
        case .invalid:
            exchange.upstream = nil
            upstream.close()
            exchange.report.failed(.upstreamProtocolError)
            sendLocalReply(
                LocalReply(
                    status: 502,
                    body: Array(
                        "upstream connect error or disconnect/reset before headers. reset reason: protocol error".utf8
                    ),
                    details: "upstream_reset_before_response_started{protocol_error}",
                    flags: .upstreamProtocolError
                )
            )
            return false
        case .complete(let head, let length):
            if head.isInterim {
                // Interim responses: Envoy answered 100-continue itself; others are dropped too.
                exchange.responseBuffer.removeFirst(length)
                return true
            }
            if exchange.requestComplete, let policy = exchange.retry, exchange.attempts <= policy.attempts,
                !exchange.retryBodyOverflowed, RetryConditions.retries(status: head.status, under: policy)
            {
                exchange.upstream = nil
                upstream.close()
                retry()
                return true
            }
            if let policy = exchange.retry, exchange.attempts > policy.attempts,
                RetryConditions.retries(status: head.status, under: policy)
            {
                exchange.report.failed(.upstreamRetryLimitExceeded)
            }
            exchange.responseHead = head
            exchange.responseFramer = HTTPBodyFramer(response: head)
            let upgrade = head.status == 101 && exchange.head?.upgrade != nil
            let closing = !exchange.keepAlive || clientEnded || drainDeadline != .distantFuture
            let serviceTime = (loop.now - exchange.sentAt).nanoseconds / 1_000_000
            let (bytes, headers) = HeadRewriting.downstreamResponse(
                HeadRewriting.ForwardedResponse(
                    status: head.status,
                    reason: head.reason,
                    upstreamServiceTime: serviceTime,
                    mutation: forward.responseHeaders,
                    extraHeaders: forward.corsHeaders,
                    closing: closing,
                    upgrade: upgrade
                ),
                fields: head.headers.map { (name: $0.name, value: $0.value) }
            )
            exchange.keepAlive = !closing
            exchange.report.responded(status: head.status, headers: headers)
            let rest = Array(exchange.responseBuffer[length...])
            exchange.responseBuffer = []
            if upgrade {
                phase = .tunnel(shut: [])
                exchange.requestComplete = true
                _ = output.send(bytes + rest, to: descriptor, writable: &clientWritable)
                return true
            }
            // The head and the body bytes read with it leave in one write: a small response costs the client
            // side one system call.
            return rest.withUnsafeBytes { forwardResponseBody($0, upstream: upstream, after: bytes) }
        }
    }

    /// Sends the response body bytes at the front of `bytes` to the client, after `head` when it is given.
    private func forwardResponseBody(
        _ bytes: UnsafeRawBufferPointer,
        upstream: HTTPUpstreamConnection,
        after head: [UInt8]? = nil
    ) -> Bool {
        guard let exchange, var framer = exchange.responseFramer else { return false }
        let progress: (bodyBytes: Int, done: Bool)
        do {
            progress = try framer.consume(bytes)
        } catch {
            exchange.report.failed(.upstreamProtocolError)
            close()
            return false
        }
        exchange.responseFramer = framer
        exchange.report.responseBodyBytes += Int64(progress.bodyBytes)
        let body = UnsafeRawBufferPointer(rebasing: bytes[0..<progress.bodyBytes])
        var failure: IOOutcome?
        if var head {
            head.append(contentsOf: body)
            failure = output.send(head, to: descriptor, writable: &clientWritable)
        } else if progress.bodyBytes > 0 {
            failure = output.send(body, to: descriptor, writable: &clientWritable)
        }
        if failure != nil {
            exchange.report.failed(.downstreamConnectionTermination)
            close()
            return false
        }
        if progress.done {
            // Bytes after the response's end: the upstream is out of step and is not reused.
            if progress.bodyBytes < bytes.count { exchange.upstreamReusable = false }
            responseCompleted(upstream)
        }
        return true
    }

    /// The upstream's end of file: the end of an until-close body, or a failure.
    private func upstreamEnded(_ upstream: HTTPUpstreamConnection) -> Bool {
        guard let exchange else { return false }
        if let head = exchange.responseHead, head.bodyFraming == .untilClose {
            exchange.upstreamReusable = false
            exchange.keepAlive = false
            responseCompleted(upstream)
            return true
        }
        upstreamFailed(upstream)
        return false
    }

    private func responseCompleted(_ upstream: HTTPUpstreamConnection) {
        guard let exchange else { return }
        exchange.upstream = nil
        let reusable =
            exchange.upstreamReusable && exchange.requestComplete && exchange.responseHead?.keepAlive == true
        if reusable { upstream.release(now: loop.now) } else { upstream.close() }
        if !exchange.requestComplete {
            // The response ended before the request body did: the connection cannot carry another request.
            exchange.keepAlive = false
        }
        phase = .finishing
    }

    /// Relays upgraded bytes. A FIN from either side is passed on as a shutdown of the other side's write
    /// half once what was queued for it has left, and the other direction keeps flowing (Envoy half-closes
    /// upgraded streams, as it does TCP proxy connections): a WebSocket server that closes first can still
    /// receive the client's last frames.
    private func pumpTunnel(shut: TunnelHalves) -> Bool {
        guard let exchange, let upstream = exchange.upstream else { return false }
        var shut = shut
        var progressed = false
        // Client to upstream.
        if !upstream.output.isEmpty {
            if upstream.output.flush(to: upstream.descriptor, writable: &upstream.writable) != nil {
                close()
                return false
            }
        } else if !input.isEmpty {
            let bytes = input
            input = []
            exchange.report.requestBodyBytes += Int64(bytes.count)
            _ = upstream.output.send(bytes, to: upstream.descriptor, writable: &upstream.writable)
            progressed = true
        } else if clientEnded {
            if !shut.contains(.towardUpstream) {
                SystemCall.shutdownOutput(upstream.descriptor)
                shut.insert(.towardUpstream)
                progressed = true
            }
        } else if clientReadable {
            progressed = readClient()
            if phase == .closed { return false }
        }
        // Upstream to client.
        if output.isEmpty && !shut.contains(.towardClient) {
            if upstream.ended {
                SystemCall.shutdownOutput(descriptor)
                shut.insert(.towardClient)
                progressed = true
            } else if upstream.readable {
                let scratch = loop.scratch
                switch SystemCall.read(upstream.descriptor, into: scratch.baseAddress!, count: scratch.count) {
                case .bytes(0):
                    upstream.ended = true
                    upstream.readable = false
                    progressed = true
                case .bytes(let count):
                    if count < scratch.count && !upstream.closing { upstream.readable = false }
                    exchange.report.responseBodyBytes += Int64(count)
                    _ = output.send(
                        UnsafeRawBufferPointer(rebasing: scratch[0..<count]),
                        to: descriptor,
                        writable: &clientWritable
                    )
                    progressed = true
                case .wouldBlock:
                    upstream.readable = false
                case .failed:
                    close()
                    return false
                }
            }
        }
        if shut == .both {
            exchange.keepAlive = false
            exchange.upstream = nil
            upstream.close()
            phase = .finishing
            return true
        }
        phase = .tunnel(shut: shut)
        return progressed
    }

    /// Fire-and-forget copies to the route's mirror clusters, each for its share of requests; a body longer
    /// than the retry buffer is not mirrored.
    private func sendMirrors(_ exchange: HTTPExchange) {
        guard !exchange.mirrored, let forward = exchange.forward, !forward.action.mirrors.isEmpty,
            !exchange.upstreamHead.isEmpty, !exchange.retryBodyOverflowed
        else { return }
        exchange.mirrored = true
        for mirror in forward.action.mirrors {
            guard Double(loop.random.next() % 1_000_000) / 10_000 < mirror.percentage,
                let cluster = loop.plan.cluster(named: mirror.cluster)
            else { continue }
            ShadowRequest.send(exchange.upstreamHead + exchange.retryBody, to: cluster, loop: loop)
        }
    }

    // MARK: - Retries

    private func retryAllowed(on condition: String) -> Bool {
        guard let exchange, let policy = exchange.retry, exchange.attempts <= policy.attempts,
            !exchange.retryBodyOverflowed, exchange.responseHead == nil
        else { return false }
        return RetryConditions.retries(condition, under: policy)
    }

    private func retry() {
        guard let exchange else { return }
        resolveAndConnect()
    }

    // MARK: - Replies and the end of a request

    private func sendLocalReply(_ reply: LocalReply) {
        guard let exchange else { return }
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            upstream.close()
        }
        let requestUnfinished = !(exchange.requestFramer?.isDone ?? true) && !exchange.requestComplete
        let keepAlive = exchange.keepAlive && !reply.closesConnection && !requestUnfinished && !clientEnded
        exchange.keepAlive = keepAlive
        exchange.report.failed(reply.flags)
        exchange.report.localReply(status: reply.status, details: reply.details, bodyBytes: Int64(reply.body.count))
        let bytes = reply.serialized(
            date: loop.responseDate.current(),
            keepAlive: keepAlive,
            headRequest: exchange.method == "HEAD"
        )
        if output.send(bytes, to: descriptor, writable: &clientWritable) != nil {
            exchange.report.failed(.downstreamConnectionTermination)
            return close()
        }
        phase = .finishing
    }

    /// Everything of the request is written: log it, then the next request or the end of the connection.
    private func finishedWriting() -> Bool {
        guard let exchange else {
            phase = .awaitingHead
            return true
        }
        finish(exchange)
        self.exchange = nil
        guard exchange.keepAlive, drainDeadline == .distantFuture, phase != .closed else {
            guard phase != .closed else { return false }
            if clientEnded {
                close()
                return false
            }
            SystemCall.shutdownOutput(descriptor)
            input = []
            phase = .lingering
            lingerUntil = loop.now + Self.lingerTime
            return true
        }
        phase = .awaitingHead
        return true
    }

    /// How long a closing connection keeps reading what the client still sends.
    static let lingerTime = TimeAmount.seconds(2)

    /// Reads and drops the client's bytes until its end of file.
    private func linger() -> Bool {
        guard clientReadable else { return false }
        let scratch = loop.scratch
        var reads = 0
        while reads < 4 {
            reads += 1
            switch SystemCall.read(descriptor, into: scratch.baseAddress!, count: scratch.count) {
            case .bytes(0), .failed:
                close()
                return false
            case .bytes(let count):
                lingered += count
                if lingered > Self.inputLimit {
                    close()
                    return false
                }
            case .wouldBlock:
                clientReadable = false
                return false
            }
        }
        return true
    }

    private func finish(_ exchange: HTTPExchange) {
        if let held = exchange.heldCluster {
            context.registry.releaseUpstream(cluster: held)
            exchange.heldCluster = nil
        }
        exchange.report.finish(now: loop.now, loop: loop)
    }

    // MARK: - Deadlines

    func checkDeadlines(now: NIODeadline) {
        guard phase != .closed else { return }
        defer { resume() }
        if let exchange {
            if now >= exchange.delayUntil {
                exchange.delayUntil = .distantFuture
                resolveAndConnect()
                return
            }
            if now >= exchange.connectDeadline, let upstream = exchange.upstream {
                exchange.upstream = nil
                upstream.close()
                return upstreamConnectFailed(ETIMEDOUT)
            }
            if now >= exchange.responseDeadline {
                exchange.responseDeadline = .distantFuture
                if let upstream = exchange.upstream {
                    exchange.upstream = nil
                    upstream.close()
                }
                if exchange.responseHead == nil { return sendLocalReply(.upstreamTimeout()) }
                exchange.report.failed(.upstreamRequestTimeout)
                return close()
            }
        }
        if phase == .lingering && now >= lingerUntil { return close() }
        if let idle = loop.timeouts.idle, now >= lastActivity + idle, phase == .awaitingHead {
            return close()
        }
        if now >= drainDeadline { close() }
    }

    func drain(by deadline: NIODeadline) {
        drainDeadline = min(drainDeadline, deadline)
        if phase == .awaitingHead && input.isEmpty { close() }
    }

    // MARK: - Closing

    /// Closes the client and any upstream the request holds, and logs a request in progress. Idempotent.
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        if let exchange {
            if let upstream = exchange.upstream {
                exchange.upstream = nil
                upstream.close()
            }
            finish(exchange)
            self.exchange = nil
        }
        SystemCall.close(descriptor)
        context.registry.downstreamClosed()
        loop.retire(self)
    }
}

/// One request on an HTTP connection: what was parsed and decided, the upstream carrying it, and how far the
/// two bodies have gone. Loop-confined, owned by its `HTTPProxyConnection`.
final class HTTPExchange {
    /// Body bytes kept for a retry; a longer body is not retried (Envoy buffers for retries too).
    static let retryBufferLimit = 64 * 1024

    let head: HTTPRequestHead?
    let report: HTTPRequestReport
    let method: String
    var keepAlive: Bool
    var forward: ForwardPlan?
    /// The request's `x-request-id`: the client's, or one made for it.
    var requestID = ""
    var retry: RetryPlan?
    var attempts = 0
    var upstream: HTTPUpstreamConnection?
    var heldCluster: String?
    var requestFramer: HTTPBodyFramer?
    var requestComplete = false
    var retryBody: [UInt8] = []
    /// The head as first sent upstream (what a mirror sends too).
    var upstreamHead: [UInt8] = []
    var mirrored = false
    var retryBodyOverflowed = false
    var responseBuffer: [UInt8] = []
    var responseHead: HTTPResponseHead?
    var responseFramer: HTTPBodyFramer?
    var upstreamReusable = true
    var sentAt = NIODeadline.distantPast
    var delayUntil = NIODeadline.distantFuture
    var connectDeadline = NIODeadline.distantFuture
    var responseDeadline = NIODeadline.distantFuture

    init(head: HTTPRequestHead?, report: HTTPRequestReport, keepAlive: Bool, method: String) {
        self.head = head
        self.report = report
        self.keepAlive = keepAlive
        self.method = method
    }
}

extension String {
    fileprivate var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}

/// The directions of an upgraded connection whose end (a FIN) has been passed on.
struct TunnelHalves: OptionSet, Equatable {
    let rawValue: UInt8
    /// The client's FIN, passed on as a shutdown of the upstream socket's write side.
    static let towardUpstream = TunnelHalves(rawValue: 1)
    /// The upstream's FIN, passed on as a shutdown of the client socket's write side.
    static let towardClient = TunnelHalves(rawValue: 2)
    static let both: TunnelHalves = [.towardUpstream, .towardClient]
}
