// Every ```interp block of every lesson, run through the real binary as a learner would run it.
import Course
import Foundation
import XCTest

final class LessonBlocksTests: XCTestCase {
    /// One scripted REPL session per lesson: `read ID`, then `run --all`, which runs the lesson's
    /// blocks in order in one session (so `set model` in the first block carries over).
    func testEveryRunnableBlockOfEveryLessonRunsCleanly() throws {
        let (course, _) = try Course.load(root: InterpRunner.repositoryRoot.path)
        let lessons = course.lessons.filter { !$0.runnableBlocks.isEmpty }
        // The hands-on lessons must have blocks, so this test cannot pass by finding none.
        for id in ["residual-stream", "induction-heads", "patching-ioi"] {
            XCTAssertTrue(lessons.contains { $0.id == id }, "lesson '\(id)' has no ```interp blocks")
        }
        for lesson in lessons {
            let runner = try InterpRunner()
            let result = try runner.run([], stdin: "read \(lesson.id)\nrun --all\nquit\n",
                                        environment: ["COLUMNS": "100"])
            let where_ = "\(lesson.path) (\(lesson.runnableBlocks.count) blocks)"
            XCTAssertEqual(result.status, 0, "\(where_): exit status \(result.status)")
            XCTAssertEqual(result.stderr, "", "\(where_): stderr not empty")
            // A lesson on a model the learner brings (GPT-2) is skipped here, in one line.
            if let model = lesson.model, ["gpt2"].contains(model) {
                XCTAssertTrue(result.stdout.contains("skipped: these blocks need \(model). "), "\(where_): no skip line")
                continue
            }
            // Each command was echoed by `run`, so each one ran.
            for block in lesson.runnableBlocks {
                for command in block.commands {
                    XCTAssertTrue(result.stdout.contains("› " + command.text),
                                  "\(lesson.path):\(command.line): '\(command.text)' did not run")
                }
            }
        }
    }

    /// The GPT-2 appendix, with the random GPT-2 fixture standing in for GPT-2 small in a Hugging
    /// Face cache: every block runs (the numbers mean nothing; the commands must work).
    func testTheGPT2AppendixRunsOnACheckpointInTheHuggingFaceCache() throws {
        let runner = try InterpRunner()
        let snapshot = runner.home.appendingPathComponent("hf/hub/models--gpt2/snapshots/fixture")
        try FileManager.default.createDirectory(at: snapshot.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: InterpRunner.repositoryRoot.appendingPathComponent("Tests/TransformerTests/Fixtures/gpt2-tiny"),
                                         to: snapshot)
        let (course, _) = try Course.load(root: InterpRunner.repositoryRoot.path)
        let lesson = try XCTUnwrap(course.lessons.first { $0.id == "gpt2-small" })
        XCTAssertGreaterThanOrEqual(lesson.runnableBlocks.count, 4)
        let result = try runner.run([], stdin: "read gpt2-small\nrun --all\nquit\n",
                                    environment: ["COLUMNS": "100", "HF_HOME": runner.home.appendingPathComponent("hf").path])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertFalse(result.stdout.contains("skipped:"))
        for block in lesson.runnableBlocks {
            for command in block.commands {
                XCTAssertTrue(result.stdout.contains("› " + command.text), "\(lesson.path):\(command.line): '\(command.text)' did not run")
            }
        }
    }
}
