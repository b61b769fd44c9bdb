import Foundation
import Tensor
import XCTest

/// Control characters in course fields, vocabulary tokens, model metadata, learner input, log ids
/// and diagnostics never reach the terminal raw: they are shown as symbols (ESC as ␛).
final class ControlCharacterTests: XCTestCase {
    private let escape = "\u{1B}[31mRED\u{1B}]0;pwned\u{07}"
    private let shown = "␛[31mRED␛]0;pwned␇"

    /// Asserts that a run printed no control character other than newlines.
    private func assertClean(_ r: InterpRunner.Result, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(r.signalled, what, file: file, line: line)
        for (stream, text) in [("stdout", r.stdout), ("stderr", r.stderr)] {
            let bad = text.unicodeScalars.first { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value) }
            XCTAssertNil(bad, "\(what): \(stream) holds U+\(String(bad?.value ?? 0, radix: 16)): \(text.prefix(400))", file: file, line: line)
        }
    }

    /// A course whose lesson title, section title, tags, question text, exercise title and hint
    /// carry escape sequences.
    private func hostileCourse() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("escape-course-\(UUID().uuidString)")
        for directory in ["Lessons", "quizzes", "Exercises/evil"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        func write(_ path: String, _ text: String) throws { try Data(text.utf8).write(to: root.appendingPathComponent(path)) }
        // YAML double-quoted "\e" is ESC; a literal ESC in the Markdown body too.
        try write("Lessons/01-evil.md", """
            ---
            id: evil
            title: "Evil \\e[31mRED\\e]0;pwned\\a"
            track: 1
            minutes: 3
            model: "induction-2l\\e[2J"
            ---

            # Evil

            ## Section \(escape)

            Text \(escape).
            """)
        try write("quizzes/evil.yaml", """
            lesson: evil
            questions:
              - id: evil.q
                type: short
                difficulty: easy
                tags: ["tag\\e[31m"]
                prompt: "Prompt \\e[31mRED"
                explanation: "Why \\e]0;pwned\\a"
                accept: ["right", "also\\e[2J"]
            """)
        try write("Exercises/evil/manifest.yaml", """
            id: evil
            title: "Title \\e[31mRED"
            lesson: evil
            kind: investigate
            points: 5
            model: induction-2l
            hints: ["Hint \\e[2J"]
            grader: previous-token-head
            answer: heads
            colour: "key \\e[31m"
            "bad\\ekey": 1
            """)
        try write("Exercises/evil/prompt.md", "# Find it \(escape)\n")
        return root
    }

    func testCourseFieldsLearnerInputAndDiagnosticsAreShownAsSymbols() throws {
        let root = try hostileCourse()
        defer { try? FileManager.default.removeItem(at: root) }
        let runner = try InterpRunner()
        let course = ["--course", root.path]
        let runs: [(String, [String], String)] = [
            ("lessons", ["lessons"], ""), ("read", ["read", "evil"], ""), ("section", [], "read evil\nsection\n"),
            ("quiz", ["quiz", "evil"], "wrong\u{1B}[2Janswer\n\n"), ("quiz list", ["quiz", "list"], ""),
            ("ex", ["ex"], ""), ("ex show", ["ex", "show", "evil"], ""), ("hint", ["hint", "evil"], ""),
            ("course check", ["course", "check"], ""), ("stats", ["stats"], ""), ("welcome", [], "help\n"),
            ("unknown lesson", ["read", "evil\u{1B}[2J"], ""), ("run", ["run", "1", "--course", root.path], ""),
        ]
        for (what, arguments, stdin) in runs {
            let r = try runner.run(arguments + course, stdin: stdin)
            assertClean(r, what)
        }
        let read = try runner.run(["read", "evil"] + course)
        XCTAssertTrue(read.stdout.contains("Section " + shown), read.stdout)
        XCTAssertTrue(read.stdout.contains("model: induction-2l␛[2J"), read.stdout)
        let lessons = try runner.run(["lessons"] + course)
        XCTAssertTrue(lessons.stdout.contains("Evil ␛[31mRED␛]0;pwned␇"), lessons.stdout + lessons.stderr)
        let quiz = try runner.run(["quiz", "evil"] + course, stdin: "wrong\u{1B}[2J\n\n")
        XCTAssertTrue(quiz.stdout.contains("tag␛[31m"), quiz.stdout)
        XCTAssertTrue(quiz.stdout.contains("you answered wrong␛[2j"), "the learner's answer, normalised: \(quiz.stdout)")
        XCTAssertTrue(quiz.stdout.contains("also␛[2J"), quiz.stdout)
        let check = try runner.run(["course", "check"] + course)
        XCTAssertTrue(check.stdout.contains("unknown field 'bad␛key'"), check.stdout)
        XCTAssertTrue(try runner.run(["hint", "evil", "--shown"] + course).stdout.contains("Hint ␛[2J"), "shown by the run above")
        XCTAssertTrue(try runner.run(["ex"] + course).stdout.contains("Title ␛[31mRED"))
        let sketches = try runner.run(["sketches"] + course)
        assertClean(sketches, "sketches")
    }

    func testReviewLogIdsAreShownAsSymbols() throws {
        let runner = try InterpRunner()
        let log = runner.home.appendingPathComponent("log.jsonl")
        try Data(#"{"card_id": "card\u001b[31m", "rating": 3, "time": "2024-03-01T08:00:00Z"}"#.utf8).write(to: log)
        let r = try runner.run(["srs", "replay", "--log", log.path])
        assertClean(r, "srs replay")
        XCTAssertTrue(r.stdout.contains("card card␛[31m"), r.stdout)
        let bad = runner.home.appendingPathComponent("bad\u{1B}[2J.jsonl")
        try Data("not json\n".utf8).write(to: bad)
        let e = try runner.run(["srs", "replay", "--log", bad.path])
        XCTAssertEqual(e.status, 65)
        assertClean(e, "srs replay error")
        XCTAssertTrue(e.stderr.contains("bad␛[2J.jsonl:1: not a JSON object"), e.stderr)
    }

    func testVocabularyTokensAndModelMetadataAreShownAsSymbols() throws {
        let runner = try InterpRunner()
        let bundled = InterpRunner.repositoryRoot.appendingPathComponent("Sources/Transformer/Models/induction-2l.safetensors")
        var file = try SafeTensorsFile(contentsOf: bundled)
        let vocabJSON = try XCTUnwrap(file.metadata["vocab"])
        var vocab = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(vocabJSON.utf8)) as? [String])
        vocab[1] = "tok\u{1B}[31m"  // the tokenizer refuses whitespace in tokens, not control characters
        file.metadata["vocab"] = String(decoding: try JSONSerialization.data(withJSONObject: vocab), as: UTF8.self)
        let path = runner.home.appendingPathComponent("evil.safetensors")
        try file.write(to: path)
        let text = "tok\u{1B}[31m " + vocab[3] + " tok\u{1B}[31m"
        for (what, arguments) in [("predict", ["predict", path.path, "--text", text, "--top", "50"]),
                                  ("model info", ["model", "info", path.path]),
                                  ("attn", ["attn", path.path, "--text", text, "--layer", "0", "--head", "0"]),
                                  ("lens", ["lens", path.path, "--text", text]),
                                  ("set", ["set", "text", text])] {
            let r = try runner.run(arguments)
            assertClean(r, what)
            XCTAssertEqual(r.status, 0, "\(what): \(r.stderr)")
        }
        let predict = try runner.run(["predict", path.path, "--text", text])
        XCTAssertTrue(predict.stdout.contains("[tok␛[31m] [\(vocab[3])] [tok␛[31m]"), predict.stdout)
    }
}
