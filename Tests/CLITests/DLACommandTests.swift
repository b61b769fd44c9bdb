import Foundation
import XCTest

final class DLACommandTests: XCTestCase {
    func testComponentsAddUpToTheLogitDifference() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let r = try jsonObject(runner.run(["dla", model, "--text", "John and Mary went to the store , John gave a ball to",
                                           "--answer", "Mary", "--wrong", "John", "--json"]))
        XCTAssertEqual(r["kind"] as? String, "dla")
        let labels = try XCTUnwrap((r["labels"] as? [String: [String]])?["component"])
        XCTAssertEqual(labels.first, "embed")
        XCTAssertFalse(labels.contains("pos_embed"))                         // shortformer: positions not in the residual
        XCTAssertEqual(labels.count, 1 + 12 + 1)
        let values = try XCTUnwrap(r["values"] as? [Double])
        let constant = try XCTUnwrap(r["constant"] as? Double), ld = try XCTUnwrap(r["logit_diff"] as? Double)
        XCTAssertEqual(values.reduce(0, +) + constant, ld, accuracy: 1e-3)
        XCTAssertEqual((r["heads"] as? [[Double]])?.count, 3)
        let picture = try runner.run(["dla", model, "--text", "John and Mary", "--answer", "Mary", "--color", "never"])
        XCTAssertEqual(picture.status, 0, picture.stderr)
        XCTAssertTrue(picture.stdout.contains("L2H3"), picture.stdout)
    }

    func testErrors() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let r = try runner.run(["dla", model, "--text", "John and Mary", "--answer", "Marry"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--answer: unknown word 'Marry'") && r.stderr.contains("Mary"), r.stderr)
        XCTAssertNotEqual(try runner.run(["dla", model, "--text", "John"]).status, 0)   // --answer is required
    }
}
