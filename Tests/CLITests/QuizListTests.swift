import Course
import Foundation
import XCTest

/// `interp quiz list [--json]`.
final class QuizListTests: XCTestCase {
    private func rows(_ stdout: String) throws -> [[String: Any]] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]], stdout)
    }

    func testJSONShapeCountsByTypeAndAccuracyAfterAnswers() throws {
        let runner = try InterpRunner()
        let course = try QuizScript.course()
        var r = try runner.run(["quiz", "list", "--json", "--db", runner.databasePath])
        XCTAssertEqual(r.status, 0, r.stderr)
        var list = try rows(r.stdout)
        XCTAssertEqual(list.compactMap { $0["lesson"] as? String }, course.lessons.map(\.id).filter { course.quiz(forLesson: $0) != nil })
        for row in list {
            let lesson = try XCTUnwrap(row["lesson"] as? String)
            let quiz = try XCTUnwrap(course.quiz(forLesson: lesson))
            XCTAssertEqual(row["questions"] as? Int, quiz.questions.count)
            let byType = try XCTUnwrap(row["byType"] as? [String: Int])
            XCTAssertEqual(Set(byType.keys), Set(QuestionType.allCases.map(\.rawValue)))
            for type in QuestionType.allCases {
                XCTAssertEqual(byType[type.rawValue], quiz.questions.filter { $0.type == type }.count, "\(lesson) \(type)")
            }
            XCTAssertEqual(row["answered"] as? Int, 0)
            XCTAssertTrue(row["accuracy"] is NSNull, "no accuracy before any answer")
            XCTAssertEqual(row["due"] as? Int, 0)
            XCTAssertNotNil(row["title"] as? String)
            XCTAssertEqual(row["path"] as? String, "quizzes/\(lesson).yaml")
        }

        // One right and one wrong answer in why-hard: 1 of 2, both due a few minutes later.
        let questions = try XCTUnwrap(course.quiz(forLesson: "why-hard")?.questions)
        let stdin = QuizScript.correct(questions[0], seed: 1) + "\n\n" + QuizScript.wrong(questions[1], seed: 1) + "\n\n"
        r = try runner.run(["quiz", "why-hard", "--limit", "2", "--seed", "1", "--now", QuizTests.start,
                            "--db", runner.databasePath], stdin: stdin)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try runner.run(["quiz", "list", "--json", "--now", "2026-01-01T10:00:00Z", "--db", runner.databasePath])
        list = try rows(r.stdout)
        let whyHard = try XCTUnwrap(list.first { $0["lesson"] as? String == "why-hard" })
        XCTAssertEqual(whyHard["answered"] as? Int, 2)
        XCTAssertEqual(whyHard["correct"] as? Int, 1)
        XCTAssertEqual(try XCTUnwrap(whyHard["accuracy"] as? Double), 0.5, accuracy: 1e-12)
        XCTAssertEqual(whyHard["due"] as? Int, 2)
    }

    func testTableFitsTheWidthWithoutEscapesWhenPiped() throws {
        let r = try InterpRunner().run(["quiz", "list", "--width", "80"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stdout.hasEscapeCodes)
        for line in r.stdout.split(separator: "\n") {
            XCTAssertLessThanOrEqual(line.count, 80, String(line))
        }
        XCTAssertTrue(r.stdout.contains("why-hard"))
        let bad = try InterpRunner().run(["quiz", "list", "--due"])
        XCTAssertEqual(bad.status, 64, "list takes only --json")
    }
}
