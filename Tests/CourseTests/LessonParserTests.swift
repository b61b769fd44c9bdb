import XCTest
@testable import Course

final class LessonParserTests: XCTestCase {
    private let path = "Lessons/03-demo.md"

    private func parse(_ text: String) -> LessonParser.Output {
        LessonParser.parse(text: text, path: path, number: 3)
    }

    func testFileNames() {
        XCTAssertEqual(LessonParser.number(fromFileName: "03-induction-heads.md"), 3)
        XCTAssertEqual(LessonParser.number(fromFileName: "00-welcome.md"), 0)
        XCTAssertEqual(LessonParser.number(fromFileName: "14-a.md"), 14)
        for bad in ["3-welcome.md", "003-welcome.md", "03_welcome.md", "03-Welcome.md", "03-.md", "03-welcome.txt",
                    "03-two--hyphens.md", "03-trailing-.md", "ab-welcome.md", "03welcome.md"] {
            XCTAssertNil(LessonParser.number(fromFileName: bad), bad)
        }
    }

    func testCRLFAndByteOrderMarkGiveTheSameLinesAsLF() throws {
        let lf = "---\nid: demo\ntitle: Demo\ntrack: 1\nminutes: 3\n---\n\n## One\n\n```interp\nlessons\n```\n"
        let crlf = "\u{FEFF}" + lf.replacingOccurrences(of: "\n", with: "\r\n")
        let a = try XCTUnwrap(parse(lf).lesson)
        let b = try XCTUnwrap(parse(crlf).lesson)
        XCTAssertEqual(a.sections, [.init(title: "One", index: 1, line: 8)])
        XCTAssertEqual(b.sections, a.sections)
        XCTAssertEqual(b.runnableBlocks, a.runnableBlocks)
        XCTAssertEqual(a.runnableBlocks.first?.commands, [.init(text: "lessons", line: 11)])
        XCTAssertEqual(b.bodyStartLine, 7)
        XCTAssertFalse(b.body.contains("\r"))
    }

    func testBodyStartLineCountsTheFences() throws {
        let lesson = try XCTUnwrap(parse("---\nid: demo\ntitle: Demo\ntrack: 0\nminutes: 3\n---\nFirst body line\n").lesson)
        XCTAssertEqual(lesson.bodyStartLine, 7)
        XCTAssertEqual(lesson.body, "First body line\n")
    }

    func testFieldTypeErrorsPointAtTheirLines() {
        let text = """
        ---
        id: demo
        title: [not, text]
        track: 1.5
        minutes: ten
        prerequisites: welcome
        model: [a]
        ---
        Body.
        """
        let output = parse(text)
        XCTAssertNil(output.lesson)
        XCTAssertEqual(output.declaredID, "demo")
        XCTAssertEqual(output.diagnostics.map(\.description), [
            "Lessons/03-demo.md:3: 'title' must be text, not a list or mapping",
            "Lessons/03-demo.md:4: 'track' must be 0, 1 or 2, found '1.5'",
            "Lessons/03-demo.md:5: 'minutes' must be a whole number of minutes, found 'ten'",
            "Lessons/03-demo.md:6: 'prerequisites' must be a list",
            "Lessons/03-demo.md:7: 'model' must be text, not a list or mapping",
        ])
    }

    func testOptionalFieldsMayBeNullOrAbsent() throws {
        let lesson = try XCTUnwrap(parse("---\nid: demo\ntitle: Demo\ntrack: 2\nminutes: 3\nprerequisites:\nmodel: ~\n---\nBody\n").lesson)
        XCTAssertEqual(lesson.prerequisites, [])
        XCTAssertNil(lesson.model)
        XCTAssertNil(lesson.summary)
    }

    func testRepeatedPrerequisiteAndQuotedNumbers() {
        let output = parse("---\nid: demo\ntitle: Demo\ntrack: \"1\"\nminutes: 3\nprerequisites: [a, a]\n---\nBody\n")
        // A quoted number is still a number for our purposes; a repeated prerequisite is not.
        XCTAssertEqual(output.lesson?.track, 1)
        XCTAssertEqual(output.diagnostics.map(\.description), ["Lessons/03-demo.md:6: prerequisite 'a' is listed twice"])
    }

    func testYAMLErrorInsideFrontMatterIsMappedToTheFileLine() {
        let output = parse("---\nid: demo\ntitle: 'unterminated\ntrack: 1\n---\nBody\n")
        XCTAssertNil(output.lesson)
        // The quote opens on file line 3 (the opening '---' is line 1).
        XCTAssertEqual(output.diagnostics.map(\.description), [
            "Lessons/03-demo.md:3: invalid YAML: found unexpected end of stream (while scanning a quoted scalar)",
        ])
        let flow = parse("---\nid: demo\nprerequisites: [a, b\ntitle: T\n---\nBody\n")
        XCTAssertEqual(flow.diagnostics.map(\.description), [
            "Lessons/03-demo.md:3: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)",
        ])
    }

    func testEmptyFrontMatterAndNonMapping() {
        XCTAssertEqual(parse("---\n---\nBody\n").diagnostics.map(\.description),
                       ["Lessons/03-demo.md:1: front matter is empty: it needs id, title, track and minutes"])
        XCTAssertEqual(parse("---\n- a\n- b\n---\nBody\n").diagnostics.map(\.description),
                       ["Lessons/03-demo.md:2: front matter must be a mapping of 'key: value' lines"])
    }

    func testHeadingTextDropsMarkupAndKeepsCode() throws {
        let lesson = try XCTUnwrap(parse("---\nid: demo\ntitle: Demo\ntrack: 0\nminutes: 3\n---\n## The `W_O` *matrix*\n### Not a section\n# Nor this\n").lesson)
        XCTAssertEqual(lesson.sections.map(\.title), ["The W_O matrix"])
    }

    func testInfoStringMustStartWithInterp() throws {
        let body = "```interp extra words\none\n```\n```interpreter\ntwo\n```\n~~~interp\nthree\n~~~\n"
        let lesson = try XCTUnwrap(parse("---\nid: demo\ntitle: Demo\ntrack: 0\nminutes: 3\n---\n" + body).lesson)
        XCTAssertEqual(lesson.runnableBlocks.map { $0.commands.map(\.text) }, [["one"], ["three"]])
        XCTAssertEqual(lesson.runnableBlocks.map(\.index), [1, 2])
    }
}
