// Gradients of the one forward against TransformerLens 3.9 / PyTorch autograd on the four fixture
// architectures (scripts/grad_goldens.py): d(metric)/d(activation) at every hook point and
// d(metric)/d(parameter) for every parameter, for TL's loss and a logit difference.
import Foundation
import Tensor
import Transformer
import XCTest

final class GradientGoldenTests: XCTestCase {
    /// `max |actual − expected| ≤ 1e-4 · max |expected|` (plus a tiny absolute floor for all-zero tensors).
    func assertRelativelyClose(_ actual: Tensor?, _ expected: Tensor, _ label: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        guard let actual else { return XCTFail("\(label): missing", file: file, line: line) }
        XCTAssertEqual(actual.shape, expected.shape, "\(label): shape", file: file, line: line)
        guard actual.shape == expected.shape else { return }
        let scale = Swift.max(expected.abs().max(), 1e-3)
        let diff = actual.maxAbsDifference(expected)
        XCTAssertLessThanOrEqual(diff / scale, 1e-4, "\(label): max |Δ| = \(diff), max |expected| = \(scale)", file: file, line: line)
    }

    func batch(_ golden: SafeTensorsFile, _ name: String, _ arch: String) throws -> [[Int]] {
        let t = try golden.integers(name, source: arch)
        return stride(from: 0, to: t.values.count, by: t.shape[1]).map { Array(t.values[$0..<($0 + t.shape[1])]) }
    }

    func testGradientsAtEveryHookAndParameterMatchTransformerLens() throws {
        for arch in Fixtures.architectures {
            let model = try Fixtures.model(arch)
            let golden = try SafeTensorsFile(contentsOf: Fixtures.url("\(arch).grad.golden.safetensors"))
            XCTAssertEqual(golden.metadata["zero_grads"], #"{"loss": [], "logit_diff": []}"#, "\(arch): TL gave every gradient")
            // TL calls ln1 once each for the query, key and value inputs: the golden holds the sum of the three
            // gradients there (its cache keeps only the last), which is what interp reports.
            let ln1 = model.hookPoints.map(\.name).filter { $0.contains(".ln1.") }.sorted()
            let summed = try JSONDecoder().decode([String].self, from: Data((golden.metadata["summed_hooks"] ?? "").utf8))
            XCTAssertEqual(summed, ln1, arch)
            let tokens = try batch(golden, "tokens", arch)
            let answers = try golden.integers("logit_diff.answers", source: arch).values
            let wrong = try golden.integers("logit_diff.wrong", source: arch).values
            let last = tokens[0].count - 1
            let metrics: [(String, (Variable) -> Variable)] = [
                ("loss", { $0.crossEntropy(targets: HookedTransformer.nextTokenTargets(tokens)) }),
                ("logit_diff", { logits in
                    let end = logits.sliced(axis: 1, last..<(last + 1))                  // [b, 1, vocab]
                    return (end.gatherLast(answers) - end.gatherLast(wrong)).mean()
                }),
            ]
            for (group, metric) in metrics {
                let run = try model.runWithGradients(tokens, metric: metric, parameterGradients: true)
                let label = "\(arch) \(group)"
                XCTAssertEqual(run.metric, try golden.float32("\(group).value", source: arch).item, accuracy: 1e-4, label)
                assertClose(run.logits, try golden.float32("logits", source: arch), tolerance: 1e-4, "\(label) logits")
                let hookNames = golden.tensors.keys.filter { $0.hasPrefix(group + ".") && $0.hasSuffix("_grad") }
                    .map { String($0.dropFirst(group.count + 1).dropLast(5)) }
                XCTAssertEqual(Set(hookNames), Set(model.hookPoints.map(\.name)), "\(label): one gradient per hook point, TL's names")
                for name in hookNames {
                    assertRelativelyClose(run.gradients[name], try golden.float32("\(group).\(name)_grad", source: arch), "\(label) \(name)")
                }
                XCTAssertEqual(Set(run.parameterGradients.keys), Set(model.weights.names), label)
                for name in model.weights.names {
                    assertRelativelyClose(run.parameterGradients[name], try golden.float32("\(group).grad.\(name)", source: arch), "\(label) d/d \(name)")
                }
            }
        }
    }

    /// Gradients at a subset of hooks are those of the full run, and asking for them changes nothing else.
    func testASubsetOfHooksGivesTheSameGradients() throws {
        let model = try Fixtures.model("gpt2_style")
        let tokens = [[0, 3, 5, 7, 9]]
        let loss: (Variable) -> Variable = { $0.crossEntropy(targets: HookedTransformer.nextTokenTargets(tokens)) }
        let all = try model.runWithGradients(tokens, metric: loss)
        let names = ["blocks.1.ln2.hook_scale", "blocks.0.attn.hook_pattern", "hook_pos_embed"]
        let some = try model.runWithGradients(tokens, metric: loss, cache: .none, gradients: .names(names))
        XCTAssertEqual(some.gradients.names, ["hook_pos_embed", "blocks.0.attn.hook_pattern", "blocks.1.ln2.hook_scale"], "forward order")
        XCTAssertTrue(some.cache.isEmpty)
        // The same gradients (summed in another order where the runs observe different points).
        for name in names { assertRelativelyClose(some.gradients[name], try XCTUnwrap(all.gradients[name]), name) }
        XCTAssertEqual(some.logits, all.logits)
        XCTAssertEqual(try model.forward(tokens), all.logits, "gradients do not change the forward")
        XCTAssertThrowsError(try model.runWithGradients(tokens, metric: loss, gradients: .names(["blocks.0.hook_nope"]))) {
            XCTAssertTrue("\($0)".contains("no hook point named 'blocks.0.hook_nope'"), "\($0)")
        }
        XCTAssertThrowsError(try model.runWithGradients(tokens, metric: { $0 })) {
            XCTAssertTrue("\($0)".contains("must be a scalar"), "\($0)")
        }
    }
}
