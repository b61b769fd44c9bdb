import Foundation
import XCTest

final class AttnCommandTests: XCTestCase {
    func testJSONAndPictures() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let one = try jsonObject(runner.run(["attn", model, "--text", "cat dog cat", "--layer", "1", "--head", "2", "--json"]))
        XCTAssertEqual(one["kind"] as? String, "attention")
        XCTAssertEqual(shape(one), [1, 1, 4, 4])
        XCTAssertEqual((one["labels"] as? [String: [String]])?["query"], ["0:<bos>", "1:cat", "2:dog", "3:cat"])
        let rows = try XCTUnwrap((one["values"] as? [[[[Double]]]])?.first?.first)
        for (i, row) in rows.enumerated() {
            XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-5)                 // each query row is a distribution
            XCTAssertTrue(row[(i + 1)...].allSatisfy { $0 == 0 })              // causal
        }
        XCTAssertEqual(shape(try jsonObject(runner.run(["attn", model, "--text", "cat dog", "--json"]))), [3, 4, 3, 3])
        for width in ["80", "160"] {
            let r = try runner.run(["attn", model, "--text", "John and Mary went to the store , John gave a ball to",
                                    "--layer", "0", "--color", "always", "--width", width])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.hasEscapeCodes)
            let plain = r.stdout.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
            for line in plain.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, Int(width) ?? 0, String(line)) }
        }
        let table = try runner.run(["attn", model, "--text", "cat dog", "--layer", "0", "--head", "0"], environment: ["NO_COLOR": "1"])
        XCTAssertFalse(table.stdout.hasEscapeCodes)
        XCTAssertTrue(table.stdout.contains("1.00"), table.stdout)
    }

    func testErrorsAndREPL() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let layer = try runner.run(["attn", model, "--text", "cat", "--layer", "3"])
        XCTAssertEqual(layer.status, 64)
        XCTAssertTrue(layer.stderr.contains("0...2"), layer.stderr)
        let word = try runner.run(["attn", model, "--text", "cat dogs"])
        XCTAssertTrue(word.stderr.contains("unknown word 'dogs'") && word.stderr.contains("dog"), word.stderr)
        let repl = try runner.run([], stdin: "attn \(model) --text \"cat dog\" --layer 0 --head 1 --json\nquit\n")
        XCTAssertTrue(repl.stdout.contains("\"kind\" : \"attention\""), repl.stdout + repl.stderr)
    }
}
