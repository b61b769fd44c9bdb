import XCTest
@testable import Course

/// Each fixture under Fixtures/quizzes/ holds one family of mistakes; the expected diagnostics
/// were worked out by hand from the fixture's line numbers.
final class QuizValidationTests: XCTestCase {
    private func check(
        _ name: String, lesson: String = "demo", expect expected: [String], loads questionIDs: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let path = "quizzes/\(name).yaml"
        let output = QuizParser.parse(text: try FixturePaths.text(path, file: file, line: line), path: path, fileLesson: lesson)
        let got = Diagnostic.sorted(output.diagnostics).map(\.description)
        let want = expected.map { "\(path):\($0)" }
        XCTAssertEqual(got, Diagnostic.sorted(want.map(Self.parse)).map(\.description), file: file, line: line)
        XCTAssertEqual(output.quiz?.questions.map(\.id) ?? [], questionIDs, "questions that still load", file: file, line: line)
    }

    /// Splits "path:line: message" so expectations sort the same way as diagnostics.
    private static func parse(_ text: String) -> Diagnostic {
        let parts = text.split(separator: ":", maxSplits: 2)
        return Diagnostic(path: String(parts[0]), line: Int(parts[1]) ?? 0, message: String(parts[2].dropFirst()))
    }

    func testUnknownType() throws {
        try check("unknown-type", expect: [
            "4: unknown question type 'singel' (did you mean 'single'?)",
            "10: unknown question type 'essay' (expected one of single, multiple, truefalse, numeric, short, order, sketch)",
        ])
    }

    func testMissingRequiredFields() throws {
        try check("missing-fields", expect: [
            "3: missing required field 'answer'",
            "3: missing required field 'explanation'",
        ])
    }

    func testUnknownAndMisplacedKeys() throws {
        try check("unknown-keys", expect: [
            "2: unknown key 'titel' in quiz file",
            "4: missing required field 'explanation'",
            "9: key 'choices' does not apply to truefalse questions",
            "11: unknown key 'explanaton' in a question (did you mean 'explanation'?)",
        ])
    }

    func testAnswerLettersOutOfRangeOrMalformed() throws {
        try check("answer-range", expect: [
            "17: answer 'e' is out of range: there are 4 choices (a–d)",
            "25: 'answer' must be one letter a–d, found 'ab'",
            "33: answer 'f' is out of range: there are 3 choices (a–c)",
            "41: answer letter 'B' is listed twice",
        ], loads: ["demo.fine"])
    }

    func testDuplicateChoicesAndChoiceCount() throws {
        try check("duplicate-choices", expect: [
            "11: duplicate choice 'probing' (also at line 9)",
            "19: 'choices' must have 2 to 8 entries, found 9",
        ])
    }

    func testMultipleNeedsANonEmptyList() throws {
        try check("multiple-answers", expect: [
            "9: 'answer' of a multiple question must list at least one letter",
            "17: 'answer' of a multiple question must be a list of letters such as [a, c]",
        ])
    }

    func testNumericFields() throws {
        try check("numeric", expect: [
            "9: 'tolerance' must not be negative, found '-0.1'",
            "16: 'answer' must be a number, found 'about 3'",
        ], loads: ["demo.good"])
    }

    func testSketchRubric() throws {
        try check("sketch-rubric", expect: [
            "9: 'rubric' must have 4 to 6 points, found 3",
            "27: 'keys' must list at least one key term",
            "29: key '—' has no letters or digits to match",
            "30: missing required field 'keys'",
            "31: unknown key 'key' in a rubric point (did you mean 'keys'?)",
        ])
    }

    func testLessonFieldMustMatchFileName() throws {
        try check("lesson-mismatch", expect: [
            "1: lesson 'other' does not match the file name (expected 'demo')",
        ], loads: ["demo.fine"])
    }

    func testQuestionIDsCarryTheLessonPrefix() throws {
        try check("ids", expect: [
            "3: question id 'Demo.Bad' must be 'demo.<slug>' with a lowercase slug",
            "10: question id 'other.q' must be 'demo.<slug>' with a lowercase slug",
            "17: question id 'demo.' must be 'demo.<slug>' with a lowercase slug",
        ])
    }

    func testSyntaxErrorPointsAtTheLine() throws {
        try check("syntax", expect: [
            "5: invalid YAML: could not find expected ':' (while scanning a simple key)",
        ])
    }

    func testStructure() throws {
        try check("structure", expect: ["2: 'questions' must be a list"])
        try check("no-questions", expect: ["2: 'questions' must list at least one question"])
        try check("empty", expect: ["1: quiz file is empty: it needs 'lesson' and 'questions'"])
    }

    func testTrueFalseAnswer() throws {
        try check("truefalse", expect: ["8: 'answer' must be true or false, found 'maybe'"])
    }

    func testOrderAndShortAnswers() throws {
        try check("order-short", expect: [
            "8: 'items' must have 2 to 8 entries, found 1",
            "15: accepted answer 'induction  head.' repeats 'Induction head' (case, spaces and a final full stop are ignored)",
            "22: 'accept' must list at least one accepted answer",
        ])
    }

    func testTagsDifficultyAndEmptyText() throws {
        try check("tags-difficulty", expect: [
            "5: 'difficulty' must be easy, medium or hard, found 'trivial'",
            "6: 'tags' must list at least one tag",
            "13: 'tags' must be a list",
            "14: 'prompt' must not be empty",
        ])
    }

    func testEntriesMustBeText() throws {
        try check("entry-types", expect: [
            "10: each entry of 'choices' must be text (quote an entry that contains ': ')",
            "11: each entry of 'choices' must be text",
        ])
    }

    func testDuplicateKeys() throws {
        try check("duplicate-keys", expect: ["9: duplicate key 'answer' (first at line 8)"])
    }

    func testValidQuestionsKeepTheirFields() throws {
        let path = "quizzes/numeric.yaml"
        let output = QuizParser.parse(text: try FixturePaths.text(path), path: path, fileLesson: "demo")
        let question = try XCTUnwrap(output.quiz?.questions.first)
        XCTAssertEqual(question.kind, .numeric(answer: 0.001, tolerance: 0, unit: "nats"))
        XCTAssertEqual(question.lesson, "demo")
        XCTAssertEqual(question.line, 18)
        XCTAssertEqual(question.path, path)
    }

    /// A question with several problems gets all of them in one run, not the first only.
    func testEveryProblemOfAQuestionIsReportedInOneRun() {
        let text = """
        lesson: demo
        questions:
          - id: demo.one
            type: single
            difficulty: easy
            tags: [a]
            prompt: p
            explanation: e
            choices: [x, x, y]
            answer: z
          - id: demo.two
            type: multiple
            difficulty: hard
            tags: [a]
            prompt: p
            explanation: e
            choices: [x, y, z]
            answer: [q, r, a, a]
          - id: demo.three
            type: numeric
            difficulty: hard
            tags: [a]
            prompt: p
            explanation: e
            answer: 1
            tolerance: -1
            unit: [m]
        """
        let output = QuizParser.parse(text: text, path: "quizzes/demo.yaml", fileLesson: "demo")
        XCTAssertEqual(Diagnostic.sorted(output.diagnostics).map(\.description), [
            "quizzes/demo.yaml:9: duplicate choice 'x' (also at line 9)",
            "quizzes/demo.yaml:10: answer 'z' is out of range: there are 3 choices (a–c)",
            "quizzes/demo.yaml:18: answer 'q' is out of range: there are 3 choices (a–c)",
            "quizzes/demo.yaml:18: answer 'r' is out of range: there are 3 choices (a–c)",
            "quizzes/demo.yaml:18: answer letter 'a' is listed twice",
            "quizzes/demo.yaml:26: 'tolerance' must not be negative, found '-1'",
            "quizzes/demo.yaml:27: 'unit' must be text, not a list or mapping",
        ])
        XCTAssertEqual(output.quiz?.questions.count, 0)
    }
}
