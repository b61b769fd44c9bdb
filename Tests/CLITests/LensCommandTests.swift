import Foundation
import XCTest

final class LensCommandTests: XCTestCase {
    func testStagesAndRanks() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let r = try jsonObject(runner.run(["lens", model, "--text", "cat dog cat", "--answer", "dog", "--top", "3", "--json"]))
        XCTAssertEqual(r["kind"] as? String, "logit_lens")
        XCTAssertEqual(shape(r), [4, 3])
        XCTAssertEqual((r["labels"] as? [String: [String]])?["stage"], ["embed", "L0", "L1", "L2"])
        let ranks = try XCTUnwrap(r["answer_rank"] as? [Int])
        XCTAssertEqual(ranks.count, 4)
        XCTAssertTrue(ranks.allSatisfy { $0 >= 1 && $0 <= 128 })
        let table = try runner.run(["lens", model, "--text", "cat dog cat", "--answer", "dog", "--color", "never"])
        XCTAssertTrue(table.stdout.contains("rank of dog"), table.stdout)
        let pos = try runner.run(["lens", model, "--text", "cat dog", "--pos", "5"])
        XCTAssertEqual(pos.status, 64)
        XCTAssertTrue(pos.stderr.contains("--pos: position 5 is outside 0...2"), pos.stderr)
    }
}
