import Foundation
import Tensor
import Transformer
import XCTest

/// A random model of the ioi-3l shape over the shared word vocabulary, saved in the runner's home,
/// so the experiment commands can run on IOI prompts before (and independently of) the bundled models.
func toyIOIModel(_ runner: InterpRunner) throws -> String {
    let config = try ModelConfig(nLayers: 3, dModel: 64, nHeads: 4, dHead: 16, nCtx: 32, dVocab: Vocabulary.shared.count,
                                 attnOnly: true, normalizationType: nil, positionalEmbeddingType: .shortformer, modelName: "toy-ioi")
    let url = runner.home.appendingPathComponent("toy-ioi.safetensors")
    try HookedTransformer.random(config: config, seed: 3, vocab: Vocabulary.shared).save(to: url)
    return url.path
}

/// The top-level JSON object of a command's stdout.
func jsonObject(_ r: InterpRunner.Result, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
    return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout, file: file, line: line)
}

/// The `shape` field of an analysis JSON.
func shape(_ object: [String: Any]) -> [Int] { (object["shape"] as? [Int]) ?? [] }

final class PatchCommandTests: XCTestCase {
    func testEveryTargetHasTransformerLensShapes() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let resid = try jsonObject(runner.run(["patch", model, "--n", "8", "--json"]))
        XCTAssertEqual(resid["kind"] as? String, "patching.resid_pre")
        XCTAssertEqual(resid["axes"] as? [String], ["layer", "pos"])
        let pos = shape(resid)[1]
        XCTAssertEqual(shape(resid), [3, pos])
        XCTAssertEqual((resid["labels"] as? [String: [String]])?["pos"]?.first, "0:<bos>")
        XCTAssertNotNil(resid["clean_logit_diff"] as? Double)
        let values = try XCTUnwrap(resid["values"] as? [[Double]])
        XCTAssertEqual(values.count, 3)
        // <bos> is the same in both prompts: patching it changes nothing.
        for row in values { XCTAssertEqual(row[0], 0, accuracy: 1e-5) }
        XCTAssertTrue(values.joined().contains { abs($0) > 1e-3 })
        for target in ["attn_out", "head_out", "z", "q", "k", "v", "pattern"] {
            let r = try jsonObject(runner.run(["patch", model, "--n", "4", "--target", target, "--json"]))
            XCTAssertEqual(shape(r), target == "attn_out" ? [3, pos] : [3, 4], target)
        }
        let byPos = try jsonObject(runner.run(["patch", model, "--n", "4", "--target", "z", "--by-pos", "--json"]))
        XCTAssertEqual(shape(byPos), [3, pos, 4])
        XCTAssertEqual(byPos["axes"] as? [String], ["layer", "pos", "head"])
    }

    func testPairsFileAndPicture() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let file = runner.home.appendingPathComponent("pairs.jsonl").path
        XCTAssertEqual(try runner.run(["data", "ioi", "--n", "5", "--seed", "2", "--out", file]).status, 0)
        let fromFile = try jsonObject(runner.run(["patch", model, "--pairs", file, "--target", "head_out", "--json"]))
        let generated = try jsonObject(runner.run(["patch", model, "--n", "5", "--seed", "2", "--target", "head_out", "--json"]))
        XCTAssertEqual(fromFile["values"] as? [[Double]], generated["values"] as? [[Double]])
        let picture = try runner.run(["patch", model, "--n", "5", "--color", "never", "--width", "80"])
        XCTAssertEqual(picture.status, 0, picture.stderr)
        XCTAssertFalse(picture.stdout.hasEscapeCodes)
        XCTAssertTrue(picture.stdout.contains("0:<bos>"), picture.stdout)
        for line in picture.stdout.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
    }

    func testErrors() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let lengths = try runner.run(["patch", model, "--clean", "John and Mary went to the store", "--corrupt", "John and Mary went",
                                      "--answer", "Mary", "--wrong", "John"])
        XCTAssertEqual(lengths.status, 64)
        XCTAssertTrue(lengths.stderr.contains("same token length"), lengths.stderr)
        XCTAssertEqual(lengths.stderr.split(separator: "\n").count, 1)
        let unknown = try runner.run(["patch", model, "--clean", "John and Mari", "--corrupt", "John and Mary",
                                      "--answer", "Mary", "--wrong", "John"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("unknown word 'Mari'") && unknown.stderr.contains("Mary"), unknown.stderr)
        let noModel = try runner.run(["patch"])
        XCTAssertTrue(noModel.stderr.contains("no model"), noModel.stderr)
        let badPos = try runner.run(["patch", model, "--target", "resid_pre", "--by-pos"])
        XCTAssertEqual(badPos.status, 64)
        let missing = try runner.run(["patch", model, "--pairs", "/nonexistent.jsonl"])
        XCTAssertEqual(missing.status, 66)
        XCTAssertTrue(missing.stderr.contains("/nonexistent.jsonl"), missing.stderr)
    }
}
