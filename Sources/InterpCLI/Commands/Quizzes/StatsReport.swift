import Course
import Foundation
import Progress

/// The learner's statistics at one instant, as `stats --json` prints them and `stats` draws them.
struct StatsReport: Encodable {
    struct Score: Encodable {
        /// The lesson id or tag.
        var key: String
        @JSONNullable var title: String?
        var correct: Int
        var answered: Int
        @JSONNullable var accuracy: Double?
    }

    struct Reviews: Encodable {
        /// Cards (questions) with a review history.
        var cards: Int
        /// Due at or before now.
        var dueNow: Int
        /// Due before the end of today (local time), overdue included.
        var dueToday: Int
        /// Due before the end of the seventh day from today, overdue included.
        var dueThisWeek: Int
        /// The earliest due time after now, if any.
        @JSONNullable var nextDue: String?
    }

    struct Day: Encodable {
        var day: String
        var reviews: Int
        var correct: Int
        var answered: Int
        @JSONNullable var accuracy: Double?
    }

    var now: String
    var timeZone: String
    var attempts: Int
    var sketches: Int
    var streakDays: Int
    var reviews: Reviews
    /// Mean FSRS retrievability at now of the cards reviewed at least once; null without cards.
    @JSONNullable var predictedRetention: Double?
    var accuracyByLesson: [Score]
    var accuracyByTag: [Score]
    /// The last `days` days, oldest first, today last.
    var days: [Day]

    /// Gathers the report from the database and the course.
    static func gather(database: AppDatabase, course: Course, scheduler: FSRSScheduler, now: Date,
                       timeZone: TimeZone = .current, days: Int = 30) throws -> StatsReport {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: now)
        let endOfToday = calendar.date(byAdding: .day, value: 1, to: today) ?? now
        let endOfWeek = calendar.date(byAdding: .day, value: 7, to: today) ?? now

        let cards = try database.cards()
        // Cards with a broken memory state (edited by hand) are left out rather than poisoning the mean.
        let recall = cards.filter { $0.lastReview != nil }.map { scheduler.retrievability(of: $0, at: now) }
            .filter(\.isFinite)
        let retention = recall.isEmpty ? nil : recall.reduce(0, +) / Double(recall.count)
        let reviews = Reviews(
            cards: cards.count,
            dueNow: cards.filter { $0.due <= now }.count,
            dueToday: cards.filter { $0.due < endOfToday }.count,
            dueThisWeek: cards.filter { $0.due < endOfWeek }.count,
            nextDue: cards.filter { $0.due > now }.map(\.due).min().map(ISO8601Timestamp.string(from:)))

        let titles = Dictionary(course.lessons.map { ($0.id, $0.title) }) { first, _ in first }
        let order = Dictionary(course.lessons.enumerated().map { ($0.element.id, $0.offset) }) { first, _ in first }
        let byLesson = try database.accuracyByLesson().map {
            Score(key: $0.key, title: titles[$0.key], correct: $0.correct, answered: $0.answered, accuracy: $0.ratio)
        }.sorted { (order[$0.key] ?? Int.max, $0.key) < (order[$1.key] ?? Int.max, $1.key) }
        let tags = Dictionary(course.questions.map { ($0.id, $0.tags) }) { first, _ in first }
        let byTag = try database.accuracyByTag(tags).map {
            Score(key: $0.key, title: nil, correct: $0.correct, answered: $0.answered, accuracy: $0.ratio)
        }

        let first = calendar.date(byAdding: .day, value: -(max(1, days) - 1), to: today) ?? today
        let reviewCounts = try database.reviewCountsPerDay(from: first, through: now, timeZone: timeZone)
        let accuracy = Dictionary(try database.accuracyPerDay(from: first, through: now, timeZone: timeZone)
            .map { ($0.key, $0) }) { a, _ in a }
        let perDay = reviewCounts.map { count in
            let score = accuracy[count.day]
            return Day(day: count.day, reviews: count.count, correct: score?.correct ?? 0,
                       answered: score?.answered ?? 0, accuracy: score?.ratio)
        }

        return StatsReport(
            now: ISO8601Timestamp.string(from: now), timeZone: timeZone.identifier, attempts: try database.attempts().count,
            sketches: try database.sketches().count, streakDays: try database.streak(asOf: now, timeZone: timeZone),
            reviews: reviews, predictedRetention: retention, accuracyByLesson: byLesson, accuracyByTag: byTag,
            days: perDay)
    }
}
