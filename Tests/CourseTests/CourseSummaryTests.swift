import XCTest
import Course

final class CourseSummaryTests: XCTestCase {
    private func lesson(_ id: String, _ number: Int, track: Int, _ prerequisites: [String] = []) -> Lesson {
        Lesson(id: id, title: id.capitalized, track: track, minutes: 10, prerequisites: prerequisites, number: number,
               path: "Lessons/\(number)-\(id).md")
    }

    private var summary: CourseSummary {
        CourseSummary(lessons: [
            lesson("induction", 9, track: 2, ["attention"]),
            lesson("welcome", 0, track: 0),
            lesson("why-hard", 1, track: 1, ["welcome"]),
            lesson("faithful", 2, track: 1, ["why-hard"]),
            lesson("attention", 8, track: 2, ["welcome"]),
        ])
    }

    func testTracksInOrder() {
        let tracks = summary.tracks
        XCTAssertEqual(tracks.map(\.track), [0, 1, 2])
        XCTAssertEqual(tracks.map { $0.lessons.map(\.id) }, [["welcome"], ["why-hard", "faithful"], ["attention", "induction"]])
        XCTAssertEqual(CourseSummary.trackTitle(1), "Concepts")
        XCTAssertEqual(CourseSummary.trackTitle(7), "Track 7")
    }

    func testNextLesson() {
        XCTAssertEqual(summary.nextLesson(completed: [])?.id, "welcome")
        XCTAssertEqual(summary.nextLesson(completed: ["welcome"])?.id, "why-hard")
        XCTAssertEqual(summary.nextLesson(completed: ["welcome", "why-hard"])?.id, "faithful")
        // Skipping ahead: prerequisites decide, not order alone.
        XCTAssertEqual(summary.nextLesson(completed: ["welcome", "why-hard", "faithful", "induction"])?.id, "attention")
        XCTAssertNil(summary.nextLesson(completed: ["welcome", "why-hard", "faithful", "attention", "induction"]))
        // A lesson whose prerequisite is not done is skipped.
        XCTAssertEqual(CourseSummary(lessons: [lesson("b", 1, track: 1, ["a"]), lesson("c", 2, track: 1)]).nextLesson(completed: [])?.id, "c")
    }

    func testLookupByIDOrNumber() {
        XCTAssertEqual(summary.lesson(matching: "faithful")?.number, 2)
        XCTAssertEqual(summary.lesson(matching: "2")?.id, "faithful")
        XCTAssertEqual(summary.lesson(matching: "09")?.id, "induction")
        XCTAssertEqual(summary.lesson(matching: " 0 ")?.id, "welcome")
        XCTAssertNil(summary.lesson(matching: "3"))
        XCTAssertNil(summary.lesson(matching: "-1"))
        XCTAssertNil(summary.lesson(matching: "99999999999999999999999"))
        XCTAssertNil(summary.lesson(matching: ""))
    }

    func testNeighbours() {
        XCTAssertEqual(summary.neighbour(of: "why-hard", offset: 1)?.id, "faithful")
        XCTAssertEqual(summary.neighbour(of: "why-hard", offset: -1)?.id, "welcome")
        XCTAssertNil(summary.neighbour(of: "welcome", offset: -1))
        XCTAssertNil(summary.neighbour(of: "induction", offset: 1))
        XCTAssertNil(summary.neighbour(of: "nope", offset: 1))
    }

    func testDidYouMean() {
        XCTAssertEqual(summary.suggestion(for: "why-hrad"), "why-hard")
        XCTAssertEqual(summary.suggestion(for: "induct"), "induction")
        XCTAssertEqual(summary.suggestion(for: "Welcome"), "welcome")
        XCTAssertNil(summary.suggestion(for: "sparse-autoencoders"))
        XCTAssertNil(summary.suggestion(for: ""))
    }

    func testEditDistance() {
        XCTAssertEqual(Suggestion.editDistance("", "abc"), 3)
        XCTAssertEqual(Suggestion.editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggestion.editDistance("alpah", "alpha"), 1, "a swap of neighbours is one edit")
        XCTAssertEqual(Suggestion.editDistance("same", "same"), 0)
        XCTAssertEqual(Suggestion.closest(to: "lesons", among: ["lessons", "lesson"]), "lessons")
        XCTAssertNil(Suggestion.closest(to: "les", among: ["lessons", "lesson"]), "an ambiguous prefix suggests nothing")
    }

    func testSummaryOfALoadedCourse() throws {
        let (course, _) = try Course.load(root: try FixturePaths.directory("good-course"))
        let summary = CourseSummary(course: course)
        XCTAssertEqual(summary.lessons.map(\.id), ["welcome", "first-steps", "second-look"])
        XCTAssertEqual(summary.lesson(matching: "1")?.id, "first-steps")
        XCTAssertEqual(summary.nextLesson(completed: ["welcome", "first-steps"])?.id, "second-look")
    }
}
