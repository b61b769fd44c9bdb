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
            // Each command was echoed by `run`, so each one ran.
            for block in lesson.runnableBlocks {
                for command in block.commands {
                    XCTAssertTrue(result.stdout.contains("› " + command.text),
                                  "\(lesson.path):\(command.line): '\(command.text)' did not run")
                }
            }
        }
    }
}
