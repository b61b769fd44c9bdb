import Course
import Foundation
import Grading
import XCTest

final class ExerciseCourseTests: XCTestCase {
    func testTheRepositoryHasTwelveValidExercises() throws {
        let (course, diagnostics) = try Course.load(root: WorkspaceProofTests.repositoryRoot.path)
        let exerciseProblems = diagnostics.filter { $0.path.hasPrefix("Exercises/") }
        XCTAssertTrue(exerciseProblems.isEmpty, exerciseProblems.map(\.description).joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(course.exercises.count, 12)
        XCTAssertGreaterThanOrEqual(course.exercises.filter { $0.kind == .investigate }.count, 6)
        for e in course.exercises {
            XCTAssertTrue((2...4).contains(e.hints.count), "\(e.id) has \(e.hints.count) hints")
            if let grader = e.grader { XCTAssertNotNil(InvestigationGraders.grader(id: grader), "\(e.id): unknown grader \(grader)") }
            if let id = e.grader.flatMap(InvestigationGraders.grader(id:)) { XCTAssertEqual(id.format, e.answerFormat, e.id) }
        }
        var checker = CourseChecker()
        checker.knownGraders = InvestigationGraders.ids
        let errors = checker.check(course).filter { $0.severity == .error && $0.path.hasPrefix("Exercises/") }
        XCTAssertTrue(errors.isEmpty, errors.map(\.description).joined(separator: "\n"))
    }

    func testManifestProblemsAreReportedWithLines() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ex-course-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Lessons"), withIntermediateDirectories: true)
        let dir = root.appendingPathComponent("Exercises/bad-one")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "id: bad-one\ntitle: Bad\nlesson: nowhere\nkind: investigate\nmodel: m\npoints: 500\ngrader: g\nanswer: heads\nhints: [a]\ncolour: red\n"
            .write(to: dir.appendingPathComponent("manifest.yaml"), atomically: true, encoding: .utf8)
        let (course, diagnostics) = try Course.load(root: root.path)
        let text = diagnostics.map(\.description)
        XCTAssertTrue(text.contains("Exercises/bad-one/manifest.yaml:6: 'points' must be between 1 and 100, found 500"), "\(text)")
        XCTAssertTrue(text.contains { $0.hasPrefix("Exercises/bad-one/manifest.yaml:10: unknown field 'colour'") }, "\(text)")
        XCTAssertTrue(course.exercises.isEmpty)
    }
}
