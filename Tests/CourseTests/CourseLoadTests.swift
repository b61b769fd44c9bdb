import XCTest
import Course

final class CourseLoadTests: XCTestCase {
    func testGoodCourseLoadsLessonsInNumberOrderWithTheirFields() throws {
        let (course, diagnostics) = try Course.load(root: try FixturePaths.directory("good-course"))
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(course.lessons.map(\.id), ["welcome", "first-steps", "second-look"])

        let welcome = try XCTUnwrap(course.lesson(id: "welcome"))
        XCTAssertEqual(welcome.title, "Welcome")
        XCTAssertEqual(welcome.track, 0)
        XCTAssertEqual(welcome.minutes, 5)
        XCTAssertEqual(welcome.prerequisites, [])
        XCTAssertNil(welcome.model)
        XCTAssertEqual(welcome.summary, "How to use this course.")
        XCTAssertEqual(welcome.number, 0)
        XCTAssertEqual(welcome.path, "Lessons/00-welcome.md")
        XCTAssertEqual(welcome.bodyStartLine, 10)
        XCTAssertTrue(welcome.body.hasPrefix("\n# Welcome\n"))

        let second = try XCTUnwrap(course.lesson(id: "second-look"))
        XCTAssertEqual(second.title, "Second look: heads")
        XCTAssertEqual(second.prerequisites, ["first-steps", "welcome"])
        XCTAssertEqual(second.model, "attn-only-2l")
        XCTAssertNil(second.summary)
    }

    func testSectionsAndRunnableBlocksPointAtFileLines() throws {
        let (course, _) = try Course.load(root: try FixturePaths.directory("good-course"))
        let lesson = try XCTUnwrap(course.lesson(id: "first-steps"))
        XCTAssertEqual(lesson.bodyStartLine, 9)
        XCTAssertEqual(lesson.sections, [
            .init(title: "Why this matters", index: 1, line: 13),
            .init(title: "Try it", index: 2, line: 21),
            .init(title: "Setext heading", index: 3, line: 36),
        ])
        XCTAssertEqual(lesson.section(2)?.title, "Try it")
        XCTAssertNil(lesson.section(0))
        XCTAssertNil(lesson.section(4))
        XCTAssertEqual(lesson.runnableBlocks, [
            .init(index: 1, line: 23, commands: [
                .init(text: "predict \"When Mary and John\"", line: 25),
                .init(text: "cache --layer 0", line: 27),
            ]),
            .init(index: 2, line: 41, commands: [.init(text: "lessons", line: 42)]),
        ])
        // The file's own lines agree with the recorded ones.
        let text = try FixturePaths.text("good-course/" + lesson.path)
        let fileLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(fileLines[13 - 1], "## Why *this* matters")
        XCTAssertEqual(fileLines[25 - 1], "predict \"When Mary and John\"")
        XCTAssertEqual(fileLines[42 - 1], "  lessons")
    }

    func testQuizzesLoadAndReadmeIsIgnored() throws {
        let (course, _) = try Course.load(root: try FixturePaths.directory("good-course"))
        XCTAssertEqual(course.quizzes.map(\.path), ["quizzes/first-steps.yaml", "quizzes/second-look.yaml"])
        let quiz = try XCTUnwrap(course.quiz(forLesson: "first-steps"))
        XCTAssertEqual(quiz.questions.map(\.type), [.single, .multiple, .truefalse, .numeric, .short, .order, .sketch])
        XCTAssertEqual(quiz.questions.map(\.line), [3, 18, 27, 35, 44, 52, 64])
        let first = quiz.questions[0]
        XCTAssertEqual(first.id, "first-steps.pick-one")
        XCTAssertEqual(first.difficulty, .easy)
        XCTAssertEqual(first.tags, ["basics"])
        XCTAssertEqual(first.prompt, "Which approach asks *what is encoded* in the activations?")
        XCTAssertEqual(first.kind, .single(choices: ["Behavioral", "Probing", "Mechanistic", "Feature-level"], answer: 1))
        XCTAssertEqual(quiz.questions[1].kind, .multiple(
            choices: ["Probing", "Red-teaming", "Activation patching", "Eval suites", "Sparse autoencoders"], answers: [0, 2, 4]))
        XCTAssertEqual(quiz.questions[6].kind, .sketch(
            reference: "Intervene on the chain: truncate it, insert mistakes, paraphrase it, and see whether\nthe answer changes; compare with internal evidence.",
            rubric: [
                RubricPoint(point: "Intervene on the reasoning", keys: ["intervene", "intervention", "truncate", "corrupt"]),
                RubricPoint(point: "Insert mistakes", keys: ["mistake", "error"]),
                RubricPoint(point: "Paraphrase the chain", keys: ["paraphrase"]),
                RubricPoint(point: "Compare with internals", keys: ["activation patching", "probe", "internal"]),
            ]))
        XCTAssertNil(course.quiz(forLesson: "welcome"))
        XCTAssertEqual(course.questions.count, 8)
    }

    func testBrokenFilesDoNotStopTheRestFromLoading() throws {
        let (course, diagnostics) = try Course.load(root: try FixturePaths.directory("messy-course"))
        XCTAssertFalse(diagnostics.isEmpty)
        // 02-fields, 08, 09, 10 and notes.md do not load; the duplicate number 06 keeps both lessons.
        XCTAssertEqual(course.lessons.map(\.id), ["intro", "cycle-a", "cycle-b", "self", "one", "two", "empty"])
        // The quiz with a repeated question id keeps both questions; `course check` reports the repeat.
        XCTAssertEqual(course.quiz(forLesson: "intro")?.questions.count, 2)
    }

    func testDuplicateLessonIDKeepsTheFirstFile() throws {
        let (course, _) = try Course.load(root: try FixturePaths.directory("broken-course"))
        XCTAssertEqual(course.lessons.map(\.path), ["Lessons/01-alpha.md", "Lessons/03-beta.md"])
        XCTAssertEqual(course.lesson(id: "alpha")?.title, "Alpha")
    }

    func testAbsolutePath() {
        let course = Course(root: "/course", lessons: [])
        XCTAssertEqual(course.absolutePath("Lessons/01-a.md"), "/course/Lessons/01-a.md")
    }
}
