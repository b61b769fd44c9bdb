import Course
import Foundation
import GRDB
import XCTest

/// Quiz runs in several processes at once share one progress database without losing reviews.
final class QuizConcurrencyTests: XCTestCase {
    /// Four processes answer the same quiz three times each, all at once: every answer's review
    /// reads the card inside its write transaction, so each card's `reps` equals its reviews.
    func testFourProcessesAnsweringTheSameQuizLoseNoReview() throws {
        let runner = try InterpRunner()
        let questions = try XCTUnwrap(QuizScript.course().quiz(forLesson: "why-hard")).questions
        let script = questions.map { $0.type == .sketch ? "A sketch.\n.\ng\n" : QuizScript.correct($0, seed: 3) + "\n\n" }.joined()
        let processes = 4, runs = 3
        nonisolated(unsafe) var failures: [String] = []
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: processes) { worker in
            for run in 0..<runs {
                do {
                    let r = try runner.run(["quiz", "why-hard", "--seed", "3"], stdin: script)
                    if r.status != 0 { lock.withLock { failures.append("worker \(worker) run \(run): \(r.status) \(r.stderr)") } }
                } catch {
                    lock.withLock { failures.append("worker \(worker) run \(run): \(error)") }
                }
            }
        }
        XCTAssertEqual(failures, [])
        try DatabaseQueue(path: runner.databasePath).read { db in
            let answers = processes * runs * questions.count
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM quiz_attempt")! +
                           (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sketch")!), answers)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM srs_review"), answers)
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.card_id, c.reps, (SELECT COUNT(*) FROM srs_review r WHERE r.card_id = c.card_id) AS reviews
                FROM srs_card c ORDER BY c.card_id
                """)
            XCTAssertEqual(rows.count, questions.count)
            for row in rows {
                let id: String = row["card_id"], reps: Int = row["reps"], reviews: Int = row["reviews"]
                XCTAssertEqual(reps, reviews, "card \(id)")
                XCTAssertEqual(reviews, processes * runs, "card \(id)")
            }
        }
    }
}
