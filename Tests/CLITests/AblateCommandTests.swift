import Foundation
import XCTest

final class AblateCommandTests: XCTestCase {
    func testTasksAndHeads() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let map = try jsonObject(runner.run(["ablate", model, "--task", "induction", "--batch", "4", "--json"]))
        XCTAssertEqual(shape(map), [3, 4])
        XCTAssertEqual(map["metric"] as? String, "loss")
        let ioi = try jsonObject(runner.run(["ablate", model, "--task", "ioi", "--batch", "4", "--mode", "mean", "--json"]))
        XCTAssertEqual(ioi["metric"] as? String, "logit_diff")
        XCTAssertEqual(ioi["mode"] as? String, "mean")
        let heads = try jsonObject(runner.run(["ablate", model, "--task", "ioi", "--batch", "4", "--heads", "1.2,0.3", "--json"]))
        XCTAssertEqual((heads["labels"] as? [String: [String]])?["ablation"], ["1.2", "0.3", "1.2+0.3"])
        let text = try jsonObject(runner.run(["ablate", model, "--text", "John and Mary went to the store", "--json"]))
        XCTAssertEqual(shape(text), [3, 4])
    }

    func testHeadsInEitherNotationAndARepeatAblatedOnce() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let args = ["ablate", model, "--task", "ioi", "--batch", "4", "--json", "--heads"]
        let dotted = try jsonObject(runner.run(args + ["1.2,0.3"]))
        let tl = try jsonObject(runner.run(args + ["L1H2,l0h3"]))
        XCTAssertEqual((tl["labels"] as? [String: [String]])?["ablation"], ["1.2", "0.3", "1.2+0.3"])
        XCTAssertEqual(tl["values"] as? [Double], dotted["values"] as? [Double])
        let repeated = try jsonObject(runner.run(args + ["0.0,0.0"]))
        XCTAssertEqual((repeated["labels"] as? [String: [String]])?["ablation"], ["0.0"])
        XCTAssertEqual(shape(repeated), [1])
        let once = try jsonObject(runner.run(args + ["0.0"]))
        XCTAssertEqual(repeated["values"] as? [Double], once["values"] as? [Double])
    }

    func testErrors() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let bad = try runner.run(["ablate", model, "--task", "ioi", "--heads", "1.9"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("--heads") && bad.stderr.contains("heads 0...3") && bad.stderr.contains("layers 0...2"), bad.stderr)
        let mean = try runner.run(["ablate", model, "--text", "John and Mary", "--mode", "mean"])
        XCTAssertEqual(mean.status, 64)
        XCTAssertTrue(mean.stderr.contains("needs a dataset"), mean.stderr)
        // One sequence of a dataset has no mean either: the library's error, under the flag that asked for it.
        let one = try runner.run(["ablate", model, "--task", "ioi", "--batch", "1", "--mode", "mean"])
        XCTAssertEqual(one.status, 64)
        XCTAssertTrue(one.stderr.hasPrefix("interp: --mode mean: mean ablation needs a dataset"), one.stderr)
    }
}
