import Foundation
import GRDB

/// A count for one calendar day ("YYYY-MM-DD" in the time zone asked for).
public struct DayCount: Hashable, Sendable {
    public var day: String
    public var count: Int

    public init(day: String, count: Int) {
        self.day = day
        self.count = count
    }
}

extension AppDatabase {
    /// The longest span of days `reviewCountsPerDay` and `accuracyPerDay` cover (about 100 years).
    public static let maximumDaySpan = 36_600

    /// Reviews per calendar day, from the day of `start` through the day of `end`, days without
    /// reviews included (as 0).
    public func reviewCountsPerDay(from start: Date, through end: Date,
                                   timeZone: TimeZone = .gmt) throws -> [DayCount] {
        let days = DayCalendar(timeZone: timeZone)
        let (lower, upper) = days.bounds(from: start, through: end)
        let times = try read { db in
            try Date.fetchAll(db, sql: "SELECT reviewed_at FROM srs_review WHERE reviewed_at >= ? AND reviewed_at <= ?",
                              arguments: [lower, upper])
        }
        var counts: [Int64: Int] = [:]
        for time in times { counts[days.dayNumber(of: time), default: 0] += 1 }
        return days.range(from: start, through: end).map { day in
            DayCount(day: days.label(day), count: counts[day] ?? 0)
        }
    }

    /// Accuracy of graded answers per calendar day, from the day of `start` through the day of
    /// `end`, days without graded answers included (with nothing answered).
    public func accuracyPerDay(from start: Date, through end: Date,
                               timeZone: TimeZone = .gmt) throws -> [Accuracy] {
        let days = DayCalendar(timeZone: timeZone)
        let (lower, upper) = days.bounds(from: start, through: end)
        let graded = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT answered_at, correct FROM quiz_attempt
                WHERE correct IS NOT NULL AND answered_at >= ? AND answered_at <= ?
                """, arguments: [lower, upper])
                .map { row in (try row.decode(Date.self, forColumn: "answered_at"),
                               try row.decode(Bool.self, forColumn: "correct")) }
        }
        var counts: [Int64: (correct: Int, answered: Int)] = [:]
        for (time, correct) in graded {
            let day = days.dayNumber(of: time)
            counts[day, default: (0, 0)].answered += 1
            if correct { counts[day, default: (0, 0)].correct += 1 }
        }
        return days.range(from: start, through: end).map { day in
            let count = counts[day] ?? (0, 0)
            return Accuracy(key: days.label(day), correct: count.correct, answered: count.answered)
        }
    }

    /// Consecutive calendar days, up to today, with at least one answer (quiz answer or sketch)
    /// as of `now`. A streak still counts while today has no answer yet: it then ends yesterday.
    public func streak(asOf now: Date = Date(), timeZone: TimeZone = .gmt) throws -> Int {
        let days = DayCalendar(timeZone: timeZone)
        let times = try read { db in
            try Date.fetchAll(db, sql: """
                SELECT answered_at FROM quiz_attempt WHERE answered_at <= ?
                UNION ALL SELECT created_at FROM sketch WHERE created_at <= ?
                """, arguments: [now, now])
        }
        let answered = Set(times.map(days.dayNumber(of:)))
        var day = days.dayNumber(of: now)
        if !answered.contains(day) { day -= 1 }
        var streak = 0
        while answered.contains(day) {
            streak += 1
            day -= 1
        }
        return streak
    }
}

/// Calendar days in one time zone, numbered from 1970-01-01.
struct DayCalendar {
    let calendar: Calendar

    init(timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    func dayNumber(of date: Date) -> Int64 {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return ISO8601Timestamp.daysSinceEpoch(year: parts.year ?? 1970, month: parts.month ?? 1,
                                               day: parts.day ?? 1)
    }

    func label(_ day: Int64) -> String {
        let (year, month, dayOfMonth) = ISO8601Timestamp.civilDate(daysSinceEpoch: day)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))"
    }

    /// Day numbers from the day of `start` through the day of `end`, at most `maximumDaySpan`.
    func range(from start: Date, through end: Date) -> [Int64] {
        let first = dayNumber(of: start)
        let last = min(dayNumber(of: end), first + Int64(AppDatabase.maximumDaySpan) - 1)
        return first <= last ? Array(first...last) : []
    }

    /// The instants bounding those days, both included: the start of the first and the last
    /// millisecond of the last (times are stored to the millisecond). Never past 9999: stored
    /// times compare as text, and a five-digit year would sort before every other.
    func bounds(from start: Date, through end: Date) -> (Date, Date) {
        let lower = calendar.startOfDay(for: start)
        let lastDay = calendar.startOfDay(for: end)
        let next = calendar.date(byAdding: .day, value: 1, to: lastDay) ?? end
        return (lower, min(next, ISO8601Timestamp.end).addingTimeInterval(-0.001))
    }
}
