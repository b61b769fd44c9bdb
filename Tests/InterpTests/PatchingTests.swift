// The resid_pre patching sweep against the numpy reference and against plain full-length hooked runs.
import Foundation
import Interp
import Tensor
import Transformer
import XCTest

/// Fixtures live with the Transformer tests (this target declares no resources); found from this file.
private func fixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../TransformerTests/Fixtures/\(name)").standardizedFileURL
}

private func rows(_ t: (values: [Int], shape: [Int])) -> [[Int]] {
    (0..<t.shape[0]).map { b in Array(t.values[(b * t.shape[1])..<((b + 1) * t.shape[1])]) }
}

final class PatchingTests: XCTestCase {
    func testResidPreSweepMatchesReference() throws {
        let model = try HookedTransformer(contentsOf: fixture("attn_only_shortformer.model.safetensors"))
        let golden = try SafeTensorsFile(contentsOf: fixture("patching.golden.safetensors"))
        let result = try activationPatching(
            model: model, clean: rows(golden.integers("clean", source: "golden")),
            corrupted: rows(golden.integers("corrupted", source: "golden")),
            answers: golden.integers("answer", source: "golden").values,
            wrong: golden.integers("wrong", source: "golden").values)
        let expected = try golden.float32("resid_pre", source: "golden")
        XCTAssertEqual(result.values.shape, expected.shape)
        XCTAssertLessThanOrEqual(result.values.maxAbsDifference(expected), 1e-4)
        XCTAssertEqual(result.axes, ["layer", "pos"])
        XCTAssertEqual(result.cleanLogitDiff, try golden.float32("ld_clean", source: "golden").item, accuracy: 1e-4)
        XCTAssertEqual(result.corruptedLogitDiff, try golden.float32("ld_corrupt", source: "golden").item, accuracy: 1e-4)
    }

    /// The sweep's shortcuts (resume at the layer, recompute only later positions, last-row logits)
    /// give what full-length hooked runs give, on every fixture architecture.
    func testSweepEqualsFullHookedRuns() throws {
        for arch in ["attn_only_shortformer", "attn_only_ln", "gpt2_style", "lnpre_mlp"] {
            let model = try HookedTransformer(contentsOf: fixture("\(arch).model.safetensors"))
            let clean = [[0, 3, 5, 7, 9, 2], [0, 4, 6, 8, 1, 3]]
            let corrupted = [[0, 3, 11, 7, 12, 2], [0, 4, 13, 8, 14, 3]]
            let answers = [5, 6], wrong = [11, 13]
            let result = try activationPatching(model: model, clean: clean, corrupted: corrupted, answers: answers, wrong: wrong)

            let (_, cleanCache) = try model.runWithCache(clean)
            let metric = LogitDifference(answers: answers, wrong: wrong)
            let ldClean = try metric.value(model.forward(clean))
            let ldCorrupt = try metric.value(model.forward(corrupted))
            for layer in 0..<model.config.nLayers {
                let name = HookPoint.name(.residPre, layer: layer)
                let cleanAct = try XCTUnwrap(cleanCache[name])
                for p in 0..<6 {
                    let hook = Hook(name) { act, _ in
                        let (batch, d) = (act.shape[0], act.shape[2])
                        act.withUnsafeMutableBufferPointer { dst in
                            cleanAct.withUnsafeBufferPointer { src in
                                for b in 0..<batch { for j in 0..<d { dst[(b * 6 + p) * d + j] = src[(b * 6 + p) * d + j] } }
                            }
                        }
                    }
                    let ld = try metric.value(model.runWithHooks(corrupted, hooks: [hook]))
                    XCTAssertEqual(result.values[layer, p], (ld - ldCorrupt) / (ldClean - ldCorrupt), accuracy: 1e-4, "\(arch) layer \(layer) pos \(p)")
                }
            }
        }
    }

    func testMismatchedLengthsAreAnError() throws {
        let model = try HookedTransformer(contentsOf: fixture("attn_only_shortformer.model.safetensors"))
        XCTAssertThrowsError(try activationPatching(model: model, clean: [[0, 1, 2]], corrupted: [[0, 1]], answers: [1], wrong: [2])) {
            XCTAssertTrue("\($0)".contains("same token length"), "\($0)")
        }
        XCTAssertThrowsError(try activationPatching(model: model, clean: [[0, 1], [0, 2]], corrupted: [[0, 1]], answers: [1], wrong: [2])) {
            XCTAssertTrue("\($0)".contains("must pair up"), "\($0)")
        }
        XCTAssertThrowsError(try activationPatching(model: model, clean: [[0, 1]], corrupted: [[0, 2]], answers: [1, 2], wrong: [2])) {
            XCTAssertTrue("\($0)".contains("answers"), "\($0)")
        }
        XCTAssertThrowsError(try activationPatching(model: model, clean: [[0, 1]], corrupted: [[0, 2]], answers: [99], wrong: [2])) {
            XCTAssertTrue("\($0)".contains("outside the vocabulary"), "\($0)")
        }
    }

    func testPatchingReadsTheLogitDifferenceMetric() throws {
        let logits = try Tensor(shape: [2, 2, 3], scalars: [9, 9, 9, 1, 2, 3, 9, 9, 9, 6, 5, 4])
        let pairs = try PromptPairs(clean: [[0, 1], [0, 2]], corrupted: [[0, 2], [0, 1]], answers: [2, 0], wrong: [0, 2], vocabulary: 3)
        XCTAssertEqual(try pairs.logitDifference.value(logits), ((3 - 1) + (6 - 4)) / 2)
        XCTAssertEqual(pairs.count, 2)
    }

    func testPromptPairsAreCheckedInOnePlace() {
        func error(_ clean: [[Int]], _ corrupted: [[Int]], _ answers: [Int], _ wrong: [Int]) -> String {
            do {
                _ = try PromptPairs(clean: clean, corrupted: corrupted, answers: answers, wrong: wrong, vocabulary: 5)
                return "no error"
            } catch { return error.message }
        }
        XCTAssertEqual(error([], [], [], []), "no prompt pairs: the clean batch is empty")
        XCTAssertTrue(error([[0, 1], [0, 2, 3]], [[0, 1], [0, 2, 3]], [1, 1], [2, 2]).contains("pair 2 has 3 tokens, pair 1 has 2"))
        XCTAssertTrue(error([[0, 1]], [[0, 1, 2]], [1], [2]).contains("pair 1: the clean prompt has 2 tokens, the corrupted one 3"))
        XCTAssertTrue(error([[0, 1]], [[0, 2]], [1], []).contains("1 answers and 0 wrong ids for 1 pairs"))
        XCTAssertTrue(error([[0, 1]], [[0, 2]], [1], [-1]).contains("answer id -1 is outside the vocabulary 0..<5"))
        XCTAssertEqual(error([[0, 1]], [[0, 2]], [1], [4]), "no error")
    }

    func testIdenticalCleanAndCorruptedIsAnError() throws {
        let model = try HookedTransformer(contentsOf: fixture("attn_only_shortformer.model.safetensors"))
        XCTAssertThrowsError(try activationPatching(model: model, clean: [[0, 1, 2]], corrupted: [[0, 1, 2]], answers: [3], wrong: [4])) {
            XCTAssertTrue("\($0)".contains("undefined"), "\($0)")
        }
    }
}
