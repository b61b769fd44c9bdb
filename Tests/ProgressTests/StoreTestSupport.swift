import Foundation
import XCTest
@testable import Progress

/// A test case with a fresh temporary directory, removed afterwards.
class TemporaryDirectoryTestCase: XCTestCase {
    private(set) var directory: URL = FileManager.default.temporaryDirectory

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("progress-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A path inside the test's directory.
    func path(_ name: String = "progress.sqlite") -> String {
        directory.appendingPathComponent(name).path
    }

    /// Asserts that `body` throws exactly `expected`.
    func assertStoreError<T>(_ expected: ProgressStoreError, _ body: @autoclosure () throws -> T,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? ProgressStoreError, expected, "\(error)", file: file, line: line)
        }
    }
}

/// 2024-03-01 08:00 UTC plus `hours`.
func at(hours: Double) -> Date {
    scenarioStart.addingTimeInterval(hours * 3600)
}

/// A graded answer for tests.
func attempt(_ questionID: String, lesson: String, correct: Bool?, at date: Date,
             rating: Rating = .good) -> QuizAttempt {
    QuizAttempt(questionID: questionID, lessonID: lesson, kind: "single", response: "b",
                correct: correct, rating: rating, durationMs: 1200, answeredAt: date, sessionID: "s1")
}
