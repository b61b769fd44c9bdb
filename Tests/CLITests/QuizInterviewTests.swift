import Course
import Foundation
import Progress
import XCTest

/// `interp quiz --interview`: conceptual and sketch questions from every lesson, timed.
final class QuizInterviewTests: XCTestCase {
    /// Question ids from the "Question N · mm:ss left · id · …" header lines.
    private func askedIDs(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").filter { $0.hasPrefix("Question ") }.compactMap { line in
            let parts = line.components(separatedBy: " · ")
            return parts.count > 2 ? parts[2] : nil
        }
    }

    func testInterviewDrawsConceptualAndSketchQuestionsWithAClock() throws {
        let runner = try InterpRunner()
        let course = try QuizScript.course()
        let byID = Dictionary(course.questions.map { ($0.id, $0) }) { a, _ in a }
        let args = ["quiz", "--interview", "--minutes", "5", "--limit", "6", "--seed", "42",
                    "--now", QuizTests.start, "--db", runner.databasePath]
        // Skip everything: a sketch takes `skip` as its first line too.
        let r = try runner.run(args, stdin: String(repeating: "skip\n", count: 6))
        XCTAssertEqual(r.status, 0, r.stderr)
        let ids = askedIDs(r.stdout)
        XCTAssertEqual(ids.count, 6, r.stdout)
        let questions = ids.compactMap { byID[$0] }
        XCTAssertEqual(questions.count, 6, "every header names a course question: \(ids)")
        XCTAssertFalse(questions.contains { $0.type == .numeric }, "no calculations in an interview")
        XCTAssertEqual(questions.filter { $0.type == .sketch }.count, 2, "every third question is a sketch")
        XCTAssertGreaterThan(Set(questions.map(\.lesson)).count, 1, "drawn across lessons")
        XCTAssertTrue(r.stdout.contains("Question 1 · 05:00 left") || r.stdout.contains("Question 1 · 04:59 left"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Skipped   6"), r.stdout)

        // The same seed draws the same questions.
        let again = try runner.run(args, stdin: String(repeating: "skip\n", count: 6))
        XCTAssertEqual(askedIDs(again.stdout), ids)
        // A tag restricts the draw.
        let tagged = try runner.run(["quiz", "--interview", "--tag", "faithfulness", "--limit", "3", "--seed", "1"],
                                    stdin: "skip\nskip\nskip\n")
        XCTAssertEqual(tagged.status, 0, tagged.stderr)
        for id in askedIDs(tagged.stdout) {
            XCTAssertTrue(byID[id]?.tags.contains("faithfulness") == true, id)
        }
    }

    /// Time runs out while the learner is answering: that answer still counts, then the interview
    /// stops with a notice and a summary.
    func testTimeUpEndsTheInterviewAfterTheCurrentAnswer() throws {
        let runner = try InterpRunner()
        let process = Process()
        process.executableURL = InterpRunner.binary
        // 0.02 minutes = 1.2 seconds.
        process.arguments = ["quiz", "--interview", "--minutes", "0.02", "--seed", "9", "--now", QuizTests.start,
                             "--db", runner.databasePath]
        process.environment = runner.environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("skip\n".utf8))
        // The clock starts when the quiz does, which on a loaded machine can be seconds after the
        // process: wait for the second question before letting the time run out during it.
        var text = ""
        while !text.contains("Question 2") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        Thread.sleep(forTimeInterval: 1.6)
        input.fileHandleForWriting.write(Data("skip\n".utf8))
        try? input.fileHandleForWriting.close()  // should a third question come, it ends the run
        text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(askedIDs(text).count, 2, text)
        XCTAssertTrue(text.contains("Time is up."), text)
        XCTAssertTrue(text.contains("Time ran out after 2 questions."), text)
        XCTAssertTrue(text.contains("Skipped   2"), text)
    }

    func testInterviewOptionConflictsAreUsageErrors() throws {
        let runner = try InterpRunner()
        for args in [["quiz", "--interview", "why-hard"], ["quiz", "--interview", "--due"],
                     ["quiz", "--interview", "--minutes", "0"], ["quiz", "--interview", "--type", "numeric"]] {
            let r = try runner.run(args)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)")
        }
    }
}
