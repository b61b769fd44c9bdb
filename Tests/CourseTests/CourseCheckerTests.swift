import XCTest
import Course

/// `course check` output for the fixture courses; every expected line was derived by hand from the
/// fixture files.
final class CourseCheckerTests: XCTestCase {
    func testBrokenCourseReportsEachProblemWithPathAndLine() throws {
        let root = try FixturePaths.directory("broken-course")
        let lines = try CourseChecker().check(root: root).map(\.description)
        XCTAssertEqual(lines, [
            "Lessons/02-broken.md:4: invalid YAML: could not find expected ':' (while scanning a simple key)",
            "Lessons/03-beta.md:8: unknown prerequisite 'alpah' (did you mean 'alpha'?)",
            "Lessons/04-copy.md:2: duplicate lesson id 'alpha' (also in Lessons/01-alpha.md:2)",
        ])
    }

    func testGoodCourseIsClean() throws {
        let root = try FixturePaths.directory("good-course")
        XCTAssertEqual(try CourseChecker(knownModels: ["attn-only-2l"]).check(root: root), [])
    }

    func testMessyCourseCoversEveryCrossFileAndFileCheck() throws {
        let root = try FixturePaths.directory("messy-course")
        let diagnostics = try CourseChecker(knownModels: ["tiny-gpt", "attn-only-2l"]).check(root: root)
        XCTAssertEqual(diagnostics.map(\.description), [
            "Lessons/01-intro.md:7: unknown model 'tiny-gtp' (did you mean 'tiny-gpt'? known: attn-only-2l, tiny-gpt)",
            "Lessons/01-intro.md:13: duplicate section title 'setup' (first at line 9)",
            "Lessons/02-fields.md:2: 'id' must be a lowercase slug such as 'why-hard', found 'Fields Lesson'",
            "Lessons/02-fields.md:2: missing required field 'title'",
            "Lessons/02-fields.md:3: unknown key 'titel' in front matter (did you mean 'title'?)",
            "Lessons/02-fields.md:4: 'track' must be 0, 1 or 2, found 'two'",
            "Lessons/02-fields.md:5: 'minutes' must be at least 1, found '0'",
            "Lessons/02-fields.md:6: 'summary' must be one line",
            "Lessons/03-cycle-a.md:7: prerequisite cycle: cycle-a → cycle-b → cycle-a",
            "Lessons/05-self.md:6: lesson 'self' lists itself as a prerequisite",
            "Lessons/06-one.md:2: warning: lesson 'one' has no quiz: add quizzes/one.yaml",
            "Lessons/06-two.md:1: lesson number 06 is also used by Lessons/06-one.md",
            "Lessons/07-empty.md:6: lesson body is empty",
            "Lessons/08-unclosed.md:1: front matter is not closed: no '---' line follows the opening one",
            "Lessons/09-no-front-matter.md:1: missing front matter: the file must start with a '---' line",
            "Lessons/10-ghost.md:2: missing required field 'minutes'",
            "Lessons/notes.md:1: lesson file name must be NN-slug.md (two digits, a hyphen, a lowercase slug)",
            "quizzes/Bad_Name.yaml:1: quiz file name must be <lesson-id>.yaml",
            "quizzes/intro.yaml:10: duplicate question id 'intro.q1' (also at quizzes/intro.yaml:3)",
            "quizzes/mismatch.yaml:1: lesson 'intro' does not match the file name (expected 'mismatch')",
            "quizzes/mismatch.yaml:3: duplicate question id 'intro.q1' (also at quizzes/intro.yaml:3)",
            "quizzes/old.yml:1: quiz files must end in .yaml",
            "quizzes/orphan.yaml:1: no lesson has id 'orphan'",
        ])
        XCTAssertTrue(diagnostics.containsErrors)
        XCTAssertEqual(diagnostics.filter { $0.severity == .warning }.count, 1)
    }

    func testModelCheckIsSkippedWithoutKnownModels() throws {
        let root = try FixturePaths.directory("messy-course")
        let lines = try CourseChecker().check(root: root).map(\.description)
        XCTAssertFalse(lines.contains { $0.contains("unknown model") })
    }

    func testWarningsAloneAreNotErrors() {
        let lesson = Lesson(id: "solo", title: "Solo", track: 1, minutes: 5, number: 1, path: "Lessons/01-solo.md", body: "Text")
        let diagnostics = CourseChecker().check(Course(root: "/c", lessons: [lesson]))
        XCTAssertEqual(diagnostics.map(\.description), ["Lessons/01-solo.md:1: warning: lesson 'solo' has no quiz: add quizzes/solo.yaml"])
        XCTAssertFalse(diagnostics.containsErrors)
    }

    func testCyclesThroughThreeLessonsAreReportedOnce() {
        func lesson(_ id: String, _ number: Int, _ prerequisites: [String]) -> Lesson {
            Lesson(id: id, title: id, track: 0, minutes: 1, prerequisites: prerequisites, number: number, path: "Lessons/0\(number)-\(id).md")
        }
        let course = Course(root: "/c", lessons: [lesson("c", 3, ["a"]), lesson("a", 1, ["b"]), lesson("b", 2, ["c"]), lesson("d", 4, ["c"])])
        let messages = CourseChecker().check(course).map(\.message)
        XCTAssertEqual(messages, ["prerequisite cycle: a → b → c → a"])
    }

    func testMissingCourseDirectoryIsOneLineNamingIt() throws {
        XCTAssertThrowsError(try CourseChecker().check(root: "/no/such/course")) { error in
            XCTAssertEqual("\(error)", "/no/such/course: no such directory")
        }
        let notACourse = try FixturePaths.directory("quizzes")
        XCTAssertThrowsError(try Course.load(root: notACourse)) { error in
            XCTAssertEqual("\(error)", "\(notACourse): not a course directory (no Lessons/ folder)")
        }
        let file = try FixturePaths.directory("quizzes/empty.yaml")
        XCTAssertThrowsError(try Course.load(root: file)) { error in
            XCTAssertEqual("\(error)", "\(file): not a directory")
        }
    }

    func testAnUnknownGraderListsTheValidOnesWithDidYouMean() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("course-grader-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (name, grader) in [("near", "induction-head"), ("far", "zzz")] {
            let directory = root.appendingPathComponent("Exercises/\(name)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data("""
                id: \(name)
                title: T
                lesson: intro
                kind: investigate
                points: 5
                model: m
                hints: [h]
                grader: \(grader)
                answer: heads
                """.utf8).write(to: directory.appendingPathComponent("manifest.yaml"))
            try Data("# P\n".utf8).write(to: directory.appendingPathComponent("prompt.md"))
        }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Lessons"), withIntermediateDirectories: true)
        var checker = CourseChecker(knownModels: ["m"])
        checker.knownGraders = ["induction-heads", "previous-token-head"]
        let graderLines = try checker.check(root: root.path).map(\.description).filter { $0.contains("grader") }
        XCTAssertEqual(graderLines, [
            "Exercises/far/manifest.yaml:8: unknown grader 'zzz' (known: induction-heads, previous-token-head)",
            "Exercises/near/manifest.yaml:8: unknown grader 'induction-head' (did you mean 'induction-heads'? known: induction-heads, previous-token-head)",
        ])
    }
}
