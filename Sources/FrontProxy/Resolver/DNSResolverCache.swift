import DNSWire
import NIOCore

/// Answers and failures by name until they expire (pure: the caller says what time it is).
struct DNSResolverCache {
    enum Entry {
        case answer(DNSAnswer)
        case failure(ResolverError)
    }

    private var entries: [DNSName: (entry: Entry, expires: NIODeadline)] = [:]
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    /// The live entry for `name`; an expired one is dropped.
    mutating func lookup(_ name: DNSName, now: NIODeadline) -> Entry? {
        guard let cached = entries[name] else { return nil }
        guard cached.expires > now else {
            entries[name] = nil
            return nil
        }
        return cached.entry
    }

    mutating func insert(_ entry: Entry, for name: DNSName, expires: NIODeadline, now: NIODeadline) {
        if entries[name] == nil, entries.count >= capacity {
            entries = entries.filter { $0.value.expires > now }
            if entries.count >= capacity, let soonest = entries.min(by: { $0.value.expires < $1.value.expires }) {
                entries[soonest.key] = nil
            }
        }
        entries[name] = (entry, expires)
    }

    mutating func removeAll() {
        entries = [:]
    }
}
