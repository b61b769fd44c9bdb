import Foundation
import XCTest

final class HeadsCommandTests: XCTestCase {
    func testScoresShapeAndErrors() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let r = try jsonObject(runner.run(["heads", model, "--seq-len", "5", "--batch", "4", "--json"]))
        XCTAssertEqual(r["kind"] as? String, "head_scores")
        XCTAssertEqual(shape(r), [4, 3, 4])
        XCTAssertEqual((r["labels"] as? [String: [String]])?["score"], ["previous-token", "duplicate-token", "induction", "first-token"])
        let values = try XCTUnwrap(r["values"] as? [[[Double]]])
        XCTAssertTrue(values.joined().joined().allSatisfy { $0 >= 0 && $0 <= 1 })
        // Layer 0 of every head puts all of query 0's attention on <bos>, so first-token scores are positive.
        XCTAssertTrue(values[3].joined().allSatisfy { $0 > 0 })
        let picture = try runner.run(["heads", model, "--batch", "2", "--color", "never", "--threshold", "0"])
        XCTAssertEqual(picture.status, 0, picture.stderr)
        XCTAssertTrue(picture.stdout.contains("induction"), picture.stdout)
        let bad = try runner.run(["heads", model, "--seq-len", "16"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("between 2 and 15"), bad.stderr)
    }
}
