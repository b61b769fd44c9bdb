import Foundation

/// Interval fuzz as in py-fsrs: intervals under 2.5 days are kept; longer ones are spread over a
/// range that widens by 15 % of the days between 2.5 and 7, 10 % between 7 and 20 and 5 % beyond.
extension FSRSScheduler {
    /// The fuzz ranges: (from day, to day, share of those days added to the spread).
    static let fuzzRanges: [(start: Double, end: Double, factor: Double)] = [
        (2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, .infinity, 0.05),
    ]

    /// The fuzzed interval for `days`, given a uniform number `unit` in [0, 1). Rounds
    /// half-to-even, as py-fsrs does (so the top of the range can be reached by one more day).
    func fuzzedDays(_ days: Int, unit: Double) -> Int {
        guard Double(days) >= 2.5 else { return days }
        var delta = 1.0
        for range in Self.fuzzRanges {
            delta += range.factor * max(min(Double(days), range.end) - range.start, 0)
        }
        var low = Int((Double(days) - delta).rounded(.toNearestOrEven))
        var high = Int((Double(days) + delta).rounded(.toNearestOrEven))
        low = max(2, low)
        high = min(high, maximumInterval)
        low = min(low, high)
        let picked = (unit * Double(high - low + 1) + Double(low)).rounded(.toNearestOrEven)
        return min(Int(picked), maximumInterval)
    }

    /// A number in [0, 1) determined by the seed, the card and the review time, so that a replay
    /// with the same seed schedules the same days.
    func fuzzUnit(cardID: String, reviewedAt date: Date) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the card id's UTF-8 bytes
        for byte in cardID.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        let time = millis.isFinite && abs(millis) < 9.0e18 ? UInt64(bitPattern: Int64(millis)) : 0
        let mixed = splitMix64(fuzzSeed ^ hash ^ splitMix64(time))
        return Double(mixed >> 11) / Double(UInt64(1) << 53)
    }

    /// One round of the SplitMix64 finaliser: a bijective 64-bit mix.
    private func splitMix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
