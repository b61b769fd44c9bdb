import Foundation
import XCTest
@testable import Course

/// The examples in quizzes/README.md (the authors' reference) must themselves be valid questions.
final class QuizReadmeTests: XCTestCase {
    func testEveryExampleQuestionInTheReadmeValidates() throws {
        let readme = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("quizzes/README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let blocks = text.components(separatedBy: "```yaml\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
        let questions = blocks.filter { $0.hasPrefix("  - id: ") }
        XCTAssertEqual(questions.count, QuestionType.allCases.count, "one example per type")

        var types: [QuestionType] = []
        for block in questions {
            let id = block.dropFirst("  - id: ".count).prefix { $0 != "\n" }
            let lesson = String(id.prefix { $0 != "." })
            let output = QuizParser.parse(text: "lesson: \(lesson)\nquestions:\n" + block, path: "README", fileLesson: lesson)
            XCTAssertEqual(output.diagnostics.map(\.description), [], "example \(id)")
            types += output.quiz?.questions.map(\.type) ?? []
        }
        XCTAssertEqual(types, QuestionType.allCases)
    }
}
