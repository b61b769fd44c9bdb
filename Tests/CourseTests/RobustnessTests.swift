import XCTest
@testable import Course

/// Bad input must give diagnostics, never a crash: feed the parsers every prefix of real files and
/// seeded random corruptions of them.
final class RobustnessTests: XCTestCase {
    private let corruptions: [Character] = ["-", ":", "[", "]", "{", "'", "\"", "\t", "\n", " ", "#", "&", "*", "|", ">", "é", "`"]

    private func variants(of text: String, seed: UInt64) -> [String] {
        let characters = Array(text)
        var result: [String] = []
        for end in stride(from: 0, through: characters.count, by: 3) {
            result.append(String(characters[..<end]))
        }
        var generator = SplitMix64(seed: seed)
        for _ in 0..<300 where !characters.isEmpty {
            var copy = characters
            for _ in 0..<3 {
                let position = Int(generator.next() % UInt64(copy.count))
                copy[position] = corruptions[Int(generator.next() % UInt64(corruptions.count))]
            }
            result.append(String(copy))
        }
        return result
    }

    func testLessonParserSurvivesTruncationAndCorruption() throws {
        let text = try FixturePaths.text("good-course/Lessons/01-first-steps.md")
        for variant in variants(of: text, seed: 1) {
            let output = LessonParser.parse(text: variant, path: "Lessons/01-first-steps.md", number: 1)
            for diagnostic in output.diagnostics {
                XCTAssertGreaterThanOrEqual(diagnostic.line, 1)
                XCTAssertFalse(diagnostic.message.contains("\n"), diagnostic.message)
            }
        }
    }

    func testQuizParserSurvivesTruncationAndCorruption() throws {
        let text = try FixturePaths.text("good-course/quizzes/first-steps.yaml")
        let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
        for variant in variants(of: text, seed: 2) {
            let output = QuizParser.parse(text: variant, path: "quizzes/first-steps.yaml", fileLesson: "first-steps")
            for diagnostic in output.diagnostics {
                XCTAssertTrue((1...lineCount + 1).contains(diagnostic.line), "\(diagnostic)")
                XCTAssertFalse(diagnostic.message.contains("\n"), diagnostic.message)
            }
            for question in output.quiz?.questions ?? [] {
                // Whatever loaded must grade without trapping.
                _ = question.grade("a")
                _ = question.grade(question.presentation(seed: 9).entries.isEmpty ? "1" : "b a", presentation: question.presentation(seed: 9))
            }
        }
    }

    func testGradingOddResponses() {
        let kinds: [Question.Kind] = [
            .single(choices: ["x", "y"], answer: 0), .multiple(choices: ["x", "y"], answers: [1]), .truefalse(answer: true),
            .numeric(answer: 1, tolerance: 0.5, unit: "%"), .short(accepted: ["x"]), .order(items: ["x", "y"]),
        ]
        let responses = ["", " ", "\n", "é", "🙂", "a🙂", String(repeating: "a", count: 10_000), "1e999", "-", ".", "%", "z z z"]
        for kind in kinds {
            let question = Question(id: "d.q", lesson: "d", difficulty: .easy, tags: ["t"], prompt: "P", explanation: "E", kind: kind)
            for response in responses {
                let result = question.grade(response)
                if case .invalid(let message) = result { XCTAssertFalse(message.isEmpty) }
            }
        }
    }
}
