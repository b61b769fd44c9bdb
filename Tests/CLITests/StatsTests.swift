import Course
import Foundation
import Progress
import XCTest

/// `interp stats [--json]`.
final class StatsTests: XCTestCase {
    private func json(_ stdout: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any], stdout)
    }

    func testEmptyStatsShape() throws {
        let runner = try InterpRunner()
        let r = try runner.run(["stats", "--json", "--now", QuizTests.start, "--db", runner.databasePath],
                               environment: ["TZ": "UTC"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let stats = try json(r.stdout)
        XCTAssertEqual(Set(stats.keys), ["now", "timeZone", "attempts", "sketches", "streakDays", "reviews",
                                         "predictedRetention", "accuracyByLesson", "accuracyByTag", "days"])
        XCTAssertEqual(stats["attempts"] as? Int, 0)
        XCTAssertTrue(stats["predictedRetention"] is NSNull)
        let days = try XCTUnwrap(stats["days"] as? [[String: Any]])
        XCTAssertEqual(days.count, 30)
        XCTAssertEqual(days.last?["day"] as? String, "2026-01-01")
        XCTAssertEqual(days.first?["day"] as? String, "2025-12-03")
        let text = try runner.run(["stats", "--now", QuizTests.start, "--db", runner.databasePath])
        XCTAssertTrue(text.stdout.contains("No answers yet"), text.stdout)
    }

    /// Two days of answers: accuracy by lesson and tag, due counts, streak, retention and per-day
    /// series, checked against what was answered and against FSRS for the retention.
    func testStatsAfterTwoDaysOfQuizzes() throws {
        let runner = try InterpRunner()
        let course = try QuizScript.course()
        let questions = Array(try XCTUnwrap(course.quiz(forLesson: "why-hard")?.questions.prefix(3)))
        let env = QuizTests.noFuzz
        // Day 1: right, wrong, right. Day 2: the sketch-free quiz of tools, one right answer.
        let day1 = QuizScript.correct(questions[0], seed: 1) + "\n\n" + QuizScript.wrong(questions[1], seed: 1) + "\n\n"
            + QuizScript.correct(questions[2], seed: 1) + "\n\n"
        var r = try runner.run(["quiz", "why-hard", "--limit", "3", "--seed", "1", "--now", "2026-01-01T09:00:00Z",
                                "--db", runner.databasePath], stdin: day1, environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let tools = try XCTUnwrap(course.quiz(forLesson: "tools")?.questions.first)
        r = try runner.run(["quiz", "tools", "--limit", "1", "--seed", "1", "--now", "2026-01-02T09:00:00Z",
                            "--db", runner.databasePath], stdin: QuizScript.correct(tools, seed: 1) + "\n\n", environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)

        let now = "2026-01-02T12:00:00Z"
        r = try runner.run(["stats", "--json", "--now", now, "--db", runner.databasePath], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let stats = try json(r.stdout)
        XCTAssertEqual(stats["attempts"] as? Int, 4)
        XCTAssertEqual(stats["streakDays"] as? Int, 2)
        let byLesson = try XCTUnwrap(stats["accuracyByLesson"] as? [[String: Any]])
        XCTAssertEqual(byLesson.compactMap { $0["key"] as? String }, ["why-hard", "tools"], "course order")
        XCTAssertEqual(byLesson[0]["correct"] as? Int, 2)
        XCTAssertEqual(byLesson[0]["answered"] as? Int, 3)
        XCTAssertEqual(byLesson[0]["title"] as? String, course.lesson(id: "why-hard")?.title)
        // Tags: count each answer under every tag of its question.
        let byTag = try XCTUnwrap(stats["accuracyByTag"] as? [[String: Any]])
        var expected: [String: (Int, Int)] = [:]
        for (question, right) in [(questions[0], true), (questions[1], false), (questions[2], true), (tools, true)] {
            for tag in Set(question.tags) {
                expected[tag, default: (0, 0)].0 += right ? 1 : 0
                expected[tag, default: (0, 0)].1 += 1
            }
        }
        XCTAssertEqual(byTag.count, expected.count)
        for row in byTag {
            let tag = try XCTUnwrap(row["key"] as? String)
            XCTAssertEqual(row["correct"] as? Int, expected[tag]?.0, tag)
            XCTAssertEqual(row["answered"] as? Int, expected[tag]?.1, tag)
        }
        // All four cards are in learning steps of minutes: every one is due by now.
        let reviews = try XCTUnwrap(stats["reviews"] as? [String: Any])
        XCTAssertEqual(reviews["cards"] as? Int, 4)
        XCTAssertEqual(reviews["dueNow"] as? Int, 4)
        XCTAssertEqual(reviews["dueToday"] as? Int, 4)
        XCTAssertEqual(reviews["dueThisWeek"] as? Int, 4)
        // Retention: the mean of FSRS retrievability at now over the reviewed cards.
        let db = try AppDatabase(path: runner.databasePath)
        let scheduler = try FSRSScheduler(enableFuzz: false)
        let at = try XCTUnwrap(ISO8601DateFormatter().date(from: now))
        let cards = try db.cards()
        let mean = cards.map { scheduler.retrievability(of: $0, at: at) }.reduce(0, +) / Double(cards.count)
        let retention = try XCTUnwrap(stats["predictedRetention"] as? Double)
        XCTAssertEqual(retention, mean, accuracy: 1e-9)
        XCTAssertLessThan(retention, 1, "day-old reviews have faded a little")
        XCTAssertGreaterThan(retention, 0.5)
        // Per day: 3 reviews then 1; accuracy 2/3 then 1/1.
        let days = try XCTUnwrap(stats["days"] as? [[String: Any]])
        XCTAssertEqual(days.suffix(2).compactMap { $0["reviews"] as? Int }, [3, 1])
        XCTAssertEqual(days.suffix(2).compactMap { $0["correct"] as? Int }, [2, 1])
        XCTAssertEqual(days.suffix(2).compactMap { $0["answered"] as? Int }, [3, 1])
        XCTAssertEqual(days.dropLast(2).compactMap { $0["reviews"] as? Int }.reduce(0, +), 0)

        let text = try runner.run(["stats", "--now", now, "--width", "80", "--db", runner.databasePath], environment: env)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertFalse(text.stdout.hasEscapeCodes)
        for phrase in ["Streak               2 days", "Accuracy by lesson", "why-hard", "2/3 67 %", "Reviews per day",
                       "Accuracy per day"] {
            XCTAssertTrue(text.stdout.contains(phrase), "missing '\(phrase)':\n\(text.stdout)")
        }
        XCTAssertTrue(text.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 }, text.stdout)
    }
}
