// DLA, logit lens, ablation, every patching target and path patching against the numpy reference
// (scripts/toolkit_reference.py), on the fixture models.
import Foundation
import Interp
import Tensor
import Transformer
import XCTest

/// Files beside this test (the target declares no resources), found from this file.
func interpFixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
}

/// Model fixtures live with the Transformer tests.
func transformerFixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../TransformerTests/Fixtures/\(name)").standardizedFileURL
}

/// One model with its golden file and the batch the reference used.
struct ToolkitGolden {
    let model: HookedTransformer
    let file: SafeTensorsFile
    let clean: [[Int]], corrupted: [[Int]], answers: [Int], wrong: [Int]

    /// The golden `NAME.toolkit.golden.safetensors`; its metadata `model` names the model file
    /// (relative to the repository root).
    init(_ name: String) throws {
        let f = try SafeTensorsFile(contentsOf: interpFixture("\(name).toolkit.golden.safetensors"))
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = try XCTUnwrap(f.metadata["model"], "\(name): golden without a model")
        model = try HookedTransformer(contentsOf: root.appendingPathComponent(path))
        file = f
        func rows(_ name: String) throws -> [[Int]] {
            let t = try f.integers(name, source: "golden")
            return (0..<t.shape[0]).map { Array(t.values[($0 * t.shape[1])..<(($0 + 1) * t.shape[1])]) }
        }
        clean = try rows("clean")
        corrupted = try rows("corrupted")
        answers = try f.integers("answer", source: "golden").values
        wrong = try f.integers("wrong", source: "golden").values
    }

    func tensor(_ name: String) throws -> Tensor { try file.float32(name, source: "golden") }
    func ints(_ name: String) throws -> [Int] { try file.integers(name, source: "golden").values }
}

final class ToolkitGoldenTests: XCTestCase {
    /// Every golden in Fixtures: the fixture models, and the bundled models once their goldens are committed.
    static var archs: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: interpFixture("").path)) ?? []
        return files.filter { $0.hasSuffix(".toolkit.golden.safetensors") }
            .map { String($0.dropLast(".toolkit.golden.safetensors".count)) }.sorted()
    }

    func testTheFixtureGoldensArePresent() {
        XCTAssertTrue(Set(["attn_only_shortformer", "gpt2_style"]).isSubset(of: Set(Self.archs)), "\(Self.archs)")
    }

    func assertClose(_ got: Tensor, _ expected: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.shape, expected.shape, what, file: file, line: line)
        XCTAssertLessThanOrEqual(got.maxAbsDifference(expected), 1e-4, what, file: file, line: line)
    }

    func testDirectLogitAttribution() throws {
        for arch in Self.archs {
            let g = try ToolkitGolden(arch)
            let r = try LogitAttribution.analyse(model: g.model, tokens: g.clean, answers: g.answers, wrong: g.wrong)
            assertClose(Tensor(r.components.map(\.value)), try g.tensor("dla"), "\(arch) dla")
            let names = try JSONDecoder().decode([String].self, from: Data((g.file.metadata["dla.components"] ?? "[]").utf8))
            XCTAssertEqual(r.components.map(\.label), names, arch)
            XCTAssertEqual(r.constant, try g.tensor("dla.constant").item, accuracy: 1e-4, arch)
            XCTAssertEqual(r.logitDiff, try g.tensor("dla.logit_diff").item, accuracy: 1e-4, arch)
            // The components and the constant add up to the model's logit difference.
            XCTAssertEqual(r.componentSum + r.constant, r.logitDiff, accuracy: 1e-3, arch)
        }
    }

    func testLogitLens() throws {
        for arch in Self.archs {
            let g = try ToolkitGolden(arch)
            let answer = try g.ints("lens.answer")[0]
            let r = try LogitLens.analyse(model: g.model, tokens: g.clean[0], answer: answer, top: 5)
            assertClose(r.probabilities, try g.tensor("lens.probs"), "\(arch) lens probabilities")
            let ids = try g.ints("lens.ids")
            XCTAssertEqual(r.stages.flatMap { $0.top.map(\.id) }, ids, arch)
            XCTAssertEqual(r.stages.flatMap { $0.top.map(\.token) }, g.model.tokenizer.decode(ids), arch)
            XCTAssertEqual(r.stages.compactMap { $0.answer.map { $0.rank + 1 } }, try g.ints("lens.rank"), arch)
            XCTAssertEqual(r.stages.map(\.name), ["embed"] + (0..<g.model.config.nLayers).map { "L\($0)" })
        }
    }

    func testLastLensStageIsTheModelsOutput() throws {
        let g = try ToolkitGolden("gpt2_style")
        let r = try LogitLens.analyse(model: g.model, tokens: g.clean[1], top: 3)
        let logits = try g.model.forward([g.clean[1]])
        let last = logits.select(axis: 0, 0).select(axis: 0, g.clean[1].count - 1)
        let best = last.topK(3).map(\.index)
        XCTAssertEqual(r.stages.last?.top.map(\.id), best)
        XCTAssertEqual(r.stages.last?.top.map(\.token), best.map { g.model.tokenizer.vocab[$0] })
    }

    func testAblation() throws {
        for arch in Self.archs {
            let g = try ToolkitGolden(arch)
            let n = try g.ints("ablation.loss_n")[0]
            let heads = try g.ints("ablation.heads")
            let list = [HeadIndex(heads[0], heads[1]), HeadIndex(heads[2], heads[3])]
            for mode in AblationMode.allCases {
                let loss = try Ablation.everyHead(model: g.model, tokens: g.clean, metric: .loss(lastPredictions: n), mode: mode)
                assertClose(loss.values, try g.tensor("ablation.\(mode.rawValue).loss"), "\(arch) \(mode) loss")
                let ld = try Ablation.everyHead(model: g.model, tokens: g.clean,
                                                metric: .logitDifference(answers: g.answers, wrong: g.wrong), mode: mode)
                assertClose(ld.values, try g.tensor("ablation.\(mode.rawValue).logit_diff"), "\(arch) \(mode) logit diff")
            }
            let joint = try Ablation.heads(list, model: g.model, tokens: g.clean, metric: .loss(lastPredictions: n))
            assertClose(joint.values, try g.tensor("ablation.heads.zero.loss"), "\(arch) listed heads")
            XCTAssertEqual(joint.labels, list.map(\.description) + [list.map(\.description).joined(separator: "+")])
        }
    }

    func testEveryPatchingTarget() throws {
        for arch in Self.archs {
            let g = try ToolkitGolden(arch)
            for target in PatchTarget.allCases {
                for byPosition in target.isPerHead ? [false, true] : [false] {
                    let r = try activationPatching(model: g.model, clean: g.clean, corrupted: g.corrupted, answers: g.answers,
                                                   wrong: g.wrong, target: target, byPosition: byPosition)
                    let name = "patch.\(target.rawValue)" + (byPosition ? ".by_pos" : "")
                    assertClose(r.values, try g.tensor(name), "\(arch) \(name)")
                    let axes = !target.isPerHead ? ["layer", "pos"] : byPosition ? ["layer", "pos", "head"] : ["layer", "head"]
                    XCTAssertEqual(r.axes, axes, name)
                    XCTAssertEqual(r.cleanLogitDiff, try g.tensor("patch.ld_clean").item, accuracy: 1e-4)
                    XCTAssertEqual(r.corruptedLogitDiff, try g.tensor("patch.ld_corrupt").item, accuracy: 1e-4)
                }
            }
        }
    }

    func testPathPatching() throws {
        for arch in Self.archs {
            let g = try ToolkitGolden(arch)
            let toLogits = try PathPatching.sweep(model: g.model, clean: g.clean, corrupted: g.corrupted,
                                                  answers: g.answers, wrong: g.wrong, receiver: .logits)
            assertClose(toLogits.values, try g.tensor("path.logits"), "\(arch) path → logits")
            let r = try g.ints("path.receivers")
            let receivers = [HeadIndex(r[0], r[1]), HeadIndex(r[2], r[3])]
            for input in PathReceiver.HeadInput.allCases {
                let result = try PathPatching.sweep(model: g.model, clean: g.clean, corrupted: g.corrupted, answers: g.answers,
                                                    wrong: g.wrong, receiver: .heads(receivers, input: input))
                assertClose(result.values, try g.tensor("path.\(input.rawValue)"), "\(arch) path → \(input)")
            }
        }
    }
}

final class HeadScoreGoldenTests: XCTestCase {
    /// `HeadScores` (the training helper's file) against the numpy detectors, through the toolkit's goldens.
    func testHeadScoresMatchReference() throws {
        for arch in ToolkitGoldenTests.archs {
            let g = try ToolkitGolden(arch)
            let t = try g.file.integers("heads.tokens", source: "golden")
            let tokens = (0..<t.shape[0]).map { Array(t.values[($0 * t.shape[1])..<(($0 + 1) * t.shape[1])]) }
            let scores = try HeadScores.compute(model: g.model, tokens: tokens)
            let expected = try g.tensor("heads.scores")
            let got = Tensor.stack(scores.all.map(\.scores), axis: 0)
            XCTAssertEqual(got.shape, expected.shape)
            XCTAssertLessThanOrEqual(got.maxAbsDifference(expected), 1e-4, arch)
        }
    }
}
