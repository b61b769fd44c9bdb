/// The displayed order of a question's choices or items for one attempt. Learners answer with the
/// letters they see; grading maps them back to authored letters.
public struct Presentation: Sendable, Hashable {
    /// `order[displayed] = authored`: the authored index shown at each displayed position.
    public let order: [Int]
    /// The choices or items in displayed order (empty for types without letters).
    public let entries: [String]

    /// The authored order, unshuffled.
    public static func identity(_ entries: [String]) -> Presentation {
        Presentation(order: Array(entries.indices), entries: entries)
    }

    init(order: [Int], entries: [String]) {
        self.order = order
        self.entries = entries
    }

    /// The authored index shown at a displayed position, or nil when out of range.
    public func authoredIndex(displayed: Int) -> Int? {
        order.indices.contains(displayed) ? order[displayed] : nil
    }

    /// The displayed position of an authored index, or nil when out of range.
    public func displayedIndex(authored: Int) -> Int? {
        order.firstIndex(of: authored)
    }
}

extension Question {
    /// A deterministic shuffle of the choices or items for `seed` (the same seed and question give
    /// the same order on every platform). Order questions are never shown already in the correct
    /// order. Types without letters get an empty presentation.
    public func presentation(seed: UInt64) -> Presentation {
        let entries = self.entries
        guard entries.count > 1 else { return .identity(entries) }
        var generator = SplitMix64(seed: seed ^ StableHash.fnv1a(id))
        var order = Array(entries.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            let j = Int(generator.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        if type == .order, order == Array(entries.indices) {
            order.append(order.removeFirst())
        }
        return Presentation(order: order, entries: order.map { entries[$0] })
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast generator whose output is fixed by the
/// seed, unlike Swift's `SystemRandomNumberGenerator`.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A hash that does not change between runs (Swift's `Hasher` is seeded per process).
enum StableHash {
    /// 64-bit FNV-1a over the UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
