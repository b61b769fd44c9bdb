import Foundation
import XCTest

final class PathPatchCommandTests: XCTestCase {
    func testShapesAndReceivers() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let logits = try jsonObject(runner.run(["path-patch", model, "--n", "4", "--json"]))
        XCTAssertEqual(logits["kind"] as? String, "path_patching")
        XCTAssertEqual(shape(logits), [3, 4])
        XCTAssertEqual(logits["receiver"] as? String, "logits")
        let q = try jsonObject(runner.run(["path-patch", model, "--n", "4", "--receivers", "2.0,2.1", "--input", "q", "--json"]))
        let values = try XCTUnwrap(q["values"] as? [[Double]])
        XCTAssertEqual(values[2], [0, 0, 0, 0])          // senders in the receivers' layer cannot reach them
        XCTAssertTrue(values[0].contains { $0 != 0 })
        let same = try jsonObject(runner.run(["path-patch", model, "--n", "4", "--receivers", "L2H0,2.1,l2h1", "--input", "q", "--json"]))
        XCTAssertEqual(same["receiver"] as? String, "2.0,2.1 q")
        XCTAssertEqual(same["values"] as? [[Double]], values)
        let bad = try runner.run(["path-patch", model, "--receivers", "1.9"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("heads 0...3"), bad.stderr)
    }
}
