import Foundation

/// The time during a quiz run. Answers are stamped with the session's clock, which honours `--now`
/// and `INTERP_NOW` (so a scripted run with a fixed time stamps every answer with that time and later
/// commands see them as past), in whole seconds as FSRS counts whole days anyway. Durations and the
/// interview timer use a monotonic clock and always run in real time.
struct QuizClock {
    private let wallClock: () -> Date
    private let started: ContinuousClock.Instant

    /// - Parameter wallClock: the session's current time.
    init(wallClock: @escaping () -> Date) {
        self.wallClock = wallClock
        self.started = ContinuousClock.now
    }

    /// Real seconds since the run started, with fractions.
    var elapsed: TimeInterval {
        let duration = ContinuousClock.now - started
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// The instant to stamp an answer with: the session's time, rounded down to a whole second.
    func now() -> Date {
        Date(timeIntervalSince1970: wallClock().timeIntervalSince1970.rounded(.down))
    }
}

/// Times and durations as a learner reads them.
enum QuizTimeText {
    /// Seconds as a whole number, clamped to ± about 30,000 years so that no conversion can trap.
    private static func whole(_ seconds: TimeInterval, _ rule: FloatingPointRoundingRule) -> Int {
        guard seconds.isFinite else { return 0 }
        return Int(min(max(seconds, -1e12), 1e12).rounded(rule))
    }

    /// "45 s", "2 min 13 s", "20 min", "1 h 05 min".
    static func duration(_ seconds: TimeInterval) -> String {
        let total = max(0, whole(seconds, .toNearestOrAwayFromZero))
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min" + (total % 60 == 0 ? "" : " \(total % 60) s") }
        return "\(total / 3600) h " + twoDigits((total % 3600) / 60) + " min"
    }

    /// How far away an instant is: "now", "in 40 s", "in 10 min", "in 3 h", "in 2 days".
    static func until(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, seconds >= 1 else { return "now" }
        let total = whole(seconds, .toNearestOrAwayFromZero)
        if total < 60 { return "in \(total) s" }
        if total < 3600 { return "in \(Int((Double(total) / 60).rounded())) min" }
        if total < 86_400 { return "in \(Int((Double(total) / 3600).rounded())) h" }
        let days = Int((Double(total) / 86_400).rounded())
        return "in \(days) day" + (days == 1 ? "" : "s")
    }

    /// A countdown "mm:ss" (or "h:mm:ss" from an hour up), never negative.
    static func countdown(_ seconds: TimeInterval) -> String {
        let total = max(0, whole(seconds, .up))
        if total >= 3600 { return "\(total / 3600):" + twoDigits((total % 3600) / 60) + ":" + twoDigits(total % 60) }
        return twoDigits(total / 60) + ":" + twoDigits(total % 60)
    }

    /// "2026-01-31 09:05" in the local time zone (`TZ`).
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(p.year ?? 0)-" + twoDigits(p.month ?? 0) + "-" + twoDigits(p.day ?? 0) + " "
            + twoDigits(p.hour ?? 0) + ":" + twoDigits(p.minute ?? 0)
    }

    private static func twoDigits(_ n: Int) -> String {
        n < 10 ? "0\(n)" : "\(n)"
    }
}
