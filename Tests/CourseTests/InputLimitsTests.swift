import Foundation
import XCTest
@testable import Course

/// Nesting of any depth is measured without recursion and refused as `path:line: nesting deeper
/// than 64` before a parser recurses; oversized and non-regular files are refused unread.
final class InputLimitsTests: XCTestCase {
    private let deep = 100_000

    func testYAMLDepthIsMeasuredForFlowAndBlockCollections() {
        XCTAssertNil(InputLimits.yamlExcess("a: [1, [2, {b: c}]]\nd:\n  - e\n"))
        XCTAssertNil(InputLimits.yamlExcess(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)))
        XCTAssertEqual(InputLimits.yamlExcess(String(repeating: "[", count: 65) + String(repeating: "]", count: 65)), 1)
        XCTAssertEqual(InputLimits.yamlExcess("a: 1\nb: " + String(repeating: "[", count: deep)), 2)
        XCTAssertEqual(InputLimits.yamlExcess("a: 1\nb: " + String(repeating: "{a: ", count: deep)), 2)
        XCTAssertEqual(InputLimits.yamlExcess("q:\n  " + String(repeating: "- ", count: deep) + "x\n"), 2)
        let block = (1...200).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
        XCTAssertEqual(InputLimits.yamlExcess("top:\n" + block + "\n"), 65, "the 64th nested mapping is on line 65")
        XCTAssertNil(InputLimits.yamlExcess("a: [unclosed"), "syntax errors are left to Yams")
    }

    func testJSONDepthIgnoresBracketsInStrings() {
        XCTAssertNil(InputLimits.jsonExcess(Array("[[1, 2], [3, 4]]".utf8)))
        XCTAssertNil(InputLimits.jsonExcess(Array(("[\"" + String(repeating: "[", count: 1000) + "\\\"[\"]").utf8)))
        XCTAssertEqual(InputLimits.jsonExcess(Array(("[\n" + String(repeating: "[", count: deep)).utf8)), 2)
        XCTAssertEqual(InputLimits.jsonExcess(Array(String(repeating: "{\"a\":", count: 65).utf8)), 1)
    }

    func testMarkdownDepthCountsQuotesListsAndInlines() {
        XCTAssertNil(InputLimits.markdownExcess("# T\n\n> a *b [c](d)*\n\n- e\n  - f\n"))
        XCTAssertEqual(InputLimits.markdownExcess("one\n\n" + String(repeating: ">", count: 50_000) + " deep\n"), 3)
        XCTAssertEqual(InputLimits.markdownExcess(String(repeating: "- ", count: 70) + "x\n"), 1)
        XCTAssertNil(InputLimits.markdownExcess(String(repeating: ">", count: 30) + " fine\n"))
    }

    func testADeepQuizIsRefusedAtItsLineAndNothingLoads() {
        let text = "lesson: demo\nquestions: " + String(repeating: "[", count: 10_000) + "\n"
        let output = QuizParser.parse(text: text, path: "quizzes/demo.yaml", fileLesson: "demo")
        XCTAssertNil(output.quiz)
        XCTAssertEqual(output.diagnostics.map(\.description), ["quizzes/demo.yaml:2: nesting deeper than 64"])
        XCTAssertTrue(output.diagnostics[0].exceedsInputLimit)
    }

    func testDeepFrontMatterAndDeepBodiesAreRefusedAtTheirFileLines() {
        let front = "---\nid: deep\ntitle: " + String(repeating: "[", count: 10_000) + "\n---\n\nBody.\n"
        let a = LessonParser.parse(text: front, path: "Lessons/01-deep.md", number: 1)
        XCTAssertNil(a.lesson)
        XCTAssertEqual(a.diagnostics.map(\.description), ["Lessons/01-deep.md:3: nesting deeper than 64"])
        let body = "---\nid: deep\ntitle: Deep\ntrack: 1\nminutes: 5\n---\n\n# Deep\n\n" + String(repeating: ">", count: 50_000) + " x\n"
        let b = LessonParser.parse(text: body, path: "Lessons/01-deep.md", number: 1)
        XCTAssertNil(b.lesson)
        XCTAssertEqual(b.declaredID, "deep", "the id still counts for cross-file checks")
        XCTAssertEqual(b.diagnostics.map(\.description), ["Lessons/01-deep.md:10: nesting deeper than 64"])
    }

    func testADeepPromptSkipsItsQuestionOnly() {
        let text = """
        lesson: demo
        questions:
          - id: demo.deep
            type: truefalse
            difficulty: easy
            tags: [t]
            prompt: |
              Fine line.
              \(String(repeating: ">", count: 500)) deep
            explanation: E
            answer: true
          - id: demo.fine
            type: truefalse
            difficulty: easy
            tags: [t]
            prompt: P
            explanation: E
            answer: false
        """
        let output = QuizParser.parse(text: text, path: "quizzes/demo.yaml", fileLesson: "demo")
        XCTAssertEqual(output.diagnostics.map(\.description), ["quizzes/demo.yaml:9: nesting deeper than 64"])
        XCTAssertEqual(output.quiz?.questions.map(\.id), ["demo.fine"])
    }

    func testCourseLoadCollectsOverLimitProblemsAndRefusesOddFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("course-limits-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for directory in ["Lessons", "quizzes", "Exercises/deep-prompt"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        func write(_ path: String, _ text: String) throws {
            try Data(text.utf8).write(to: root.appendingPathComponent(path))
        }
        try write("Lessons/01-good.md", "---\nid: good\ntitle: Good\ntrack: 0\nminutes: 1\n---\n\n# Good\n\nText.\n")
        try write("Lessons/02-deep.md", "---\nid: deep\ntitle: Deep\ntrack: 0\nminutes: 1\n---\n\n" + String(repeating: ">", count: 50_000) + "\n")
        try write("quizzes/good.yaml", "lesson: good\nquestions: " + String(repeating: "[", count: 10_000))
        try write("Exercises/deep-prompt/manifest.yaml", """
            id: deep-prompt
            title: Deep prompt
            lesson: good
            kind: investigate
            points: 5
            model: induction-2l
            hints: [h]
            grader: previous-token-head
            answer: heads
            """)
        try write("Exercises/deep-prompt/prompt.md", String(repeating: "- ", count: 100) + "x\n")
        let big = root.appendingPathComponent("Lessons/03-big.md")
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: UInt64(InputLimits.maximumFileBytes + 1))
        try handle.close()
        XCTAssertEqual(mkfifo(root.appendingPathComponent("Lessons/04-fifo.md").path, 0o644), 0)

        let (course, diagnostics) = try Course.load(root: root.path)
        XCTAssertEqual(course.lessons.map(\.id), ["good"])
        XCTAssertNil(course.quiz(forLesson: "good"))
        XCTAssertEqual(course.exercises.map(\.id), ["deep-prompt"], "the prompt is shown as plain text")
        XCTAssertEqual(course.overLimit.map(\.description), [
            "Exercises/deep-prompt/prompt.md:1: nesting deeper than 64",
            "Lessons/02-deep.md:8: nesting deeper than 64",
            "Lessons/03-big.md:1: larger than 16 MiB",
            "quizzes/good.yaml:2: nesting deeper than 64",
        ])
        XCTAssertTrue(diagnostics.contains { $0.description == "Lessons/04-fifo.md:1: not a regular file" }, "\(diagnostics)")
        XCTAssertEqual(course.overLimitProblem(forLesson: "deep")?.path, "Lessons/02-deep.md")
        XCTAssertEqual(course.overLimitProblem(forLesson: "2")?.path, "Lessons/02-deep.md")
        XCTAssertEqual(course.overLimitProblem(forLesson: "good", quiz: true)?.path, "quizzes/good.yaml")
        XCTAssertNil(course.overLimitProblem(forLesson: "good"))
    }
}
