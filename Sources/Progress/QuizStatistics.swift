import Foundation
import GRDB

/// Right answers out of graded answers, for one lesson, tag or day.
public struct Accuracy: Hashable, Sendable {
    /// The lesson id, tag or day ("YYYY-MM-DD") counted.
    public var key: String
    public var correct: Int
    /// Graded answers (sketches and other ungraded answers are not counted).
    public var answered: Int

    public init(key: String, correct: Int, answered: Int) {
        self.key = key
        self.correct = correct
        self.answered = answered
    }

    /// correct / answered, or nil when nothing was answered.
    public var ratio: Double? { answered == 0 ? nil : Double(correct) / Double(answered) }
}

extension AppDatabase {
    /// Accuracy of graded answers per lesson, by lesson id.
    public func accuracyByLesson() throws -> [Accuracy] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT lesson_id, SUM(correct) AS right, COUNT(*) AS graded FROM quiz_attempt
                WHERE correct IS NOT NULL GROUP BY lesson_id ORDER BY lesson_id
                """).map { row in
                Accuracy(key: try row.decode(forColumn: "lesson_id"),
                         correct: try row.decode(forColumn: "right"),
                         answered: try row.decode(forColumn: "graded"))
            }
        }
    }

    /// Accuracy of graded answers per tag, by tag. `tags` maps question ids to their tags (from
    /// the course); answers to questions without tags are not counted.
    public func accuracyByTag(_ tags: [String: [String]]) throws -> [Accuracy] {
        let graded = try read { db in
            try Row.fetchAll(db, sql: "SELECT question_id, correct FROM quiz_attempt WHERE correct IS NOT NULL")
                .map { row in (try row.decode(String.self, forColumn: "question_id"),
                               try row.decode(Bool.self, forColumn: "correct")) }
        }
        var counts: [String: (correct: Int, answered: Int)] = [:]
        for (questionID, correct) in graded {
            for tag in Set(tags[questionID] ?? []) {
                counts[tag, default: (0, 0)].answered += 1
                if correct { counts[tag, default: (0, 0)].correct += 1 }
            }
        }
        return counts.keys.sorted().compactMap { tag in
            counts[tag].map { Accuracy(key: tag, correct: $0.correct, answered: $0.answered) }
        }
    }
}
