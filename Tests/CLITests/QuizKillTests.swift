import Course
import Foundation
import Progress
import XCTest

/// Killing interp during a quiz loses at most the question being answered.
final class QuizKillTests: XCTestCase {
    func testSIGKILLDuringAQuizKeepsEveryAnsweredQuestion() throws {
        let runner = try InterpRunner()
        let questions = try XCTUnwrap(try QuizScript.course().quiz(forLesson: "why-hard")?.questions)
        let process = Process()
        process.executableURL = InterpRunner.binary
        process.arguments = ["quiz", "why-hard", "--seed", "4", "--now", QuizTests.start, "--db", runner.databasePath]
        process.environment = runner.environment
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Two answers with their rating lines; the pipe stays open, so the quiz waits on the third.
        let script = QuizScript.correct(questions[0], seed: 4) + "\n\n" + QuizScript.wrong(questions[1], seed: 4) + "\n\n"
        input.fileHandleForWriting.write(Data(script.utf8))

        var saved = 0
        let deadline = Date().addingTimeInterval(30)
        while saved < 2, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            if FileManager.default.fileExists(atPath: runner.databasePath) { saved = (try? AppDatabase(path: runner.databasePath).attempts().count) ?? 0 }
        }
        XCTAssertEqual(saved, 2, "both answers were saved while the quiz waits for the third")
        XCTAssertTrue(process.isRunning, "the quiz is still waiting for input")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        let db = try AppDatabase(path: runner.databasePath)
        XCTAssertEqual(try db.attempts().map(\.questionID), [questions[0].id, questions[1].id])
        XCTAssertEqual(try db.attempts().map(\.correct), [true, false])
        XCTAssertEqual(try db.cards().map(\.id).sorted(), [questions[0].id, questions[1].id].sorted())
        for question in questions.prefix(2) {
            XCTAssertEqual(try db.reviews(cardID: question.id).count, 1, "each answer with its review")
        }
        // The database still works: stats read it and another quiz writes to it.
        let stats = try runner.run(["stats", "--json", "--now", QuizTests.start, "--db", runner.databasePath])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        let more = try runner.run(["quiz", "why-hard", "--limit", "1", "--seed", "4", "--now", QuizTests.start,
                                   "--db", runner.databasePath], stdin: QuizScript.correct(questions[0], seed: 4) + "\n\n")
        XCTAssertEqual(more.status, 0, more.stderr)
        XCTAssertEqual(try db.attempts().count, 3)
    }
}
