import Course
import Foundation
import Progress
import XCTest

/// Sketch questions in a quiz, `interp sketches [QUESTION]` and `interp sketches export`.
final class SketchesTests: XCTestCase {
    private func sketchQuestion() throws -> Question {
        try XCTUnwrap(try QuizScript.course().quiz(forLesson: "faithfulness")?.questions.first { $0.type == .sketch })
    }

    /// Writes two sketches for the first sketch question of faithfulness, a day apart.
    private func writeTwoSketches(_ runner: InterpRunner) throws -> (old: String, new: String) {
        let old = "A first try.\nIt only says: read the chain and judge it."
        let new = "Truncate the chain and insert a mistake; then paraphrase it."
        for (text, now, rating) in [(old, "2026-01-01T09:00:00Z", "1"), (new, "2026-01-02T09:00:00Z", "g")] {
            let r = try runner.run(["quiz", "faithfulness", "--type", "sketch", "--limit", "1", "--now", now,
                                    "--db", runner.databasePath], stdin: text + "\n.\n" + rating + "\n")
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        return (old, new)
    }

    func testSketchFeedbackShowsBothSidesAndMarksMentionedKeyPoints() throws {
        let runner = try InterpRunner()
        let question = try sketchQuestion()
        guard case let .sketch(_, rubric) = question.kind else { return XCTFail() }
        let text = "Truncate the chain and insert a mistake."
        let r = try runner.run(["quiz", "faithfulness", "--type", "sketch", "--limit", "1", "--width", "100",
                                "--now", QuizTests.start, "--db", runner.databasePath], stdin: text + "\n.\nh\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        let together = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.contains("Your sketch") })
        XCTAssertTrue(together.contains("Reference sketch"), "side by side at 100 columns: \(together)")
        XCTAssertTrue(r.stdout.contains("a hint, not a grade"))
        let hints = SketchHints.hints(sketch: text, rubric: rubric)
        for hint in hints {
            let marker = (hint.mentioned ? "[x] " : "[ ] ") + String(hint.point.prefix(30))
            XCTAssertTrue(r.stdout.contains(marker), "expected '\(marker)'")
        }
        XCTAssertTrue(r.stdout.contains("Rated Hard"))
        XCTAssertFalse(r.stdout.contains("[x] [ ]"))

        // Narrow: one after the other.
        let narrow = try runner.run(["quiz", "faithfulness", "--type", "sketch", "--limit", "1", "--width", "50",
                                     "--now", QuizTests.start, "--db", runner.databasePath], stdin: text + "\n.\nh\n")
        XCTAssertFalse(narrow.stdout.split(separator: "\n").contains { $0.contains("Your sketch") && $0.contains("Reference") })
        XCTAssertTrue(narrow.stdout.contains("Reference sketch"))
    }

    func testSketchesListNewestFirstAndOneQuestionBesideItsReference() throws {
        let runner = try InterpRunner()
        let question = try sketchQuestion()
        let (old, new) = try writeTwoSketches(runner)

        var r = try runner.run(["sketches", "--json", "--db", runner.databasePath])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.compactMap { $0["text"] as? String }, [new, old])
        XCTAssertEqual(rows.compactMap { $0["rating"] as? Int }, [3, 1])
        XCTAssertEqual(rows.compactMap { $0["createdAt"] as? String }, ["2026-01-02T09:00:00Z", "2026-01-01T09:00:00Z"])
        XCTAssertEqual(rows.first?["question"] as? String, question.id)
        XCTAssertNotNil(rows.first?["keyPoints"] as? Int)

        r = try runner.run(["sketches", question.id, "--width", "100", "--db", runner.databasePath],
                           environment: ["TZ": "UTC"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.contains("Your sketches, newest first") && $0.contains("Reference sketch") }, r.stdout)
        let newer = try XCTUnwrap(lines.firstIndex { $0.contains("2026-01-02 09:00") })
        let older = try XCTUnwrap(lines.firstIndex { $0.contains("2026-01-01 09:00") })
        XCTAssertLessThan(newer, older)
        XCTAssertTrue(lines.allSatisfy { $0.count <= 100 })

        r = try runner.run(["sketches", "faithfulness.no-such-question", "--db", runner.databasePath])
        XCTAssertEqual(r.status, 66)
        r = try runner.run(["sketches", "why-hard.core-idea", "--db", runner.databasePath])
        XCTAssertEqual(r.status, 64, "not a sketch question")
    }

    func testExportWritesMarkdownAtomicallyGroupedByQuestion() throws {
        let runner = try InterpRunner()
        let question = try sketchQuestion()
        guard case let .sketch(reference, _) = question.kind else { return XCTFail() }
        let (old, new) = try writeTwoSketches(runner)
        let file = runner.home.appendingPathComponent("sketches.md")
        try "previous content".write(to: file, atomically: true, encoding: .utf8)

        var r = try runner.run(["sketches", "export", "--format", "md", "--out", file.path, "--now", QuizTests.start,
                                "--db", runner.databasePath])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Wrote 2 sketches for 1 question"), r.stdout)
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# Answer sketches\n"))
        XCTAssertTrue(text.contains("## \(question.id)\n"))
        XCTAssertTrue(text.contains(String(reference.split(separator: "\n")[0])), "the reference is included")
        let newAt = try XCTUnwrap(text.range(of: "> " + new))
        let oldAt = try XCTUnwrap(text.range(of: "> " + old.split(separator: "\n")[0]))
        XCTAssertLessThan(newAt.lowerBound, oldAt.lowerBound, "newest first")
        XCTAssertTrue(text.contains("rated Good") && text.contains("rated Again"))
        XCTAssertFalse(text.contains("previous content"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: runner.home.path).filter { $0.contains("sketches.md") }
        XCTAssertEqual(leftovers, ["sketches.md"], "no temporary file left behind")

        // Without --out the document goes to stdout.
        r = try runner.run(["sketches", "export", "--now", QuizTests.start, "--db", runner.databasePath])
        XCTAssertEqual(r.stdout, text)

        r = try runner.run(["sketches", "export", "--format", "html", "--db", runner.databasePath])
        XCTAssertEqual(r.status, 64)
        r = try runner.run(["sketches", "export", "--out", "/no/such/dir/x.md", "--db", runner.databasePath])
        XCTAssertEqual(r.status, 74)
        XCTAssertTrue(r.stderr.contains("/no/such/dir/x.md"), r.stderr)
    }
}
