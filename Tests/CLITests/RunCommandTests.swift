import Foundation
import XCTest

/// `run N`: a lesson's runnable blocks, in order or skipping ahead.
final class RunCommandTests: XCTestCase {
    func testSkippingAheadReplaysTheEarlierSetLines() throws {
        let runner = try InterpRunner()
        let r = try runner.run([], stdin: "read residual-stream --raw\nrun 3\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        XCTAssertTrue(r.stdout.contains("› set model induction-2l   (from block 1)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Cached "), r.stdout)
    }

    func testRunWithoutALessonAndOutOfRange() throws {
        let runner = try InterpRunner()
        let none = try runner.run(["run", "1"])
        XCTAssertEqual(none.status, 64)
        XCTAssertTrue(none.stderr.contains("read ID"), none.stderr)
        let far = try runner.run([], stdin: "read residual-stream --raw\nrun 99\n")
        XCTAssertEqual(far.status, 64)
        XCTAssertTrue(far.stderr.contains("there is no block 99"), far.stderr)
    }
}
