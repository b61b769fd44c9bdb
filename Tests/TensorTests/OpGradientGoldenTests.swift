// Every differentiable op against PyTorch autograd (scripts/op_grad_goldens.py): the forward value
// and the gradient of each operand for a random upstream gradient, ≤ 1e-4.
import Foundation
import Tensor
import XCTest

final class OpGradientGoldenTests: XCTestCase {
    var golden: SafeTensorsFile!

    override func setUpWithError() throws {
        let dir = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "Fixtures folder missing")
        golden = try SafeTensorsFile(contentsOf: dir.appendingPathComponent("ops.grad.golden.safetensors"))
    }

    func t(_ name: String) throws -> Tensor { try golden.float32(name, source: "ops golden") }
    func ids(_ name: String) throws -> [Int] { try golden.integers(name, source: "ops golden").values }

    func assertClose(_ a: Tensor, _ b: Tensor, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, "\(label): element count", file: file, line: line)
        guard a.count == b.count else { return }
        let same = a.reshapedUnchecked(b.shape)
        XCTAssertLessThanOrEqual(same.maxAbsDifference(b), 1e-4, "\(label): max |Δ| = \(same.maxAbsDifference(b))", file: file, line: line)
    }

    /// Runs `f` on tracked copies of the case's `operands`, checks `y`, then backpropagates the
    /// case's `dy` and checks `d<operand>` for each operand.
    func check(_ op: String, _ operands: [String], file: StaticString = #filePath, line: UInt = #line,
               _ f: ([Variable]) -> Variable) throws {
        let tape = Tape()
        let inputs = try operands.map { tape.variable(try t("\(op).\($0)")) }
        let y = f(inputs)
        let expected = try t("\(op).y")
        assertClose(y.value, expected, "\(op) y", file: file, line: line)
        tape.backward(from: y, seed: try t("\(op).dy").reshapedUnchecked(y.shape))
        for (name, v) in zip(operands, inputs) {
            assertClose(v.gradient, try t("\(op).d\(name)"), "\(op) d\(name)", file: file, line: line)
        }
    }

    func testElementwiseArithmeticWithBroadcasting() throws {
        for shape in ["same", "row", "column"] {
            try check("add.\(shape)", ["x", "w"]) { $0[0] + $0[1] }
            try check("sub.\(shape)", ["x", "w"]) { $0[0] - $0[1] }
            try check("mul.\(shape)", ["x", "w"]) { $0[0] * $0[1] }
            try check("div.\(shape)", ["x", "w"]) { $0[0] / $0[1] }
        }
        try check("scalar_mul.basic", ["x"]) { $0[0] * -1.75 }
        try check("exp.basic", ["x"]) { $0[0].exp() }
        try check("log.basic", ["x"]) { $0[0].log() }
    }

    func testActivations() throws {
        try check("relu.basic", ["x"]) { $0[0].relu() }
        try check("gelu.basic", ["x"]) { $0[0].gelu() }
        try check("gelu_new.basic", ["x"]) { $0[0].geluNew() }
    }

    func testReductions() throws {
        try check("sum.all", ["x"]) { $0[0].sum() }
        try check("sum.axis1", ["x"]) { $0[0].sum(axis: 1) }
        try check("sum.axis2", ["x"]) { $0[0].sum(axis: 2) }
        try check("mean.all", ["x"]) { $0[0].mean() }
        try check("mean.axis1", ["x"]) { $0[0].mean(axis: 1) }
        try check("mean.axis2", ["x"]) { $0[0].mean(axis: 2) }
    }

    func testMatrixProducts() throws {
        for (c, ta, tb) in [("plain", false, false), ("transpose_a", true, false), ("transpose_b", false, true),
                            ("transpose_both", true, true), ("batched", false, false), ("batched_shared", false, false)] {
            try check("matmul.\(c)", ["x", "w"]) { $0[0].matmul($0[1], transposeA: ta, transposeB: tb) }
        }
        try check("linear.basic", ["x", "w", "b"]) { $0[0].linear(weight: $0[1], bias: $0[2]) }
    }

    func testLayoutOps() throws {
        try check("permute.p0213", ["x"]) { $0[0].permuted([0, 2, 1, 3]) }
        try check("permute.p201", ["x"]) { $0[0].permuted([2, 0, 1]) }
        try check("reshape.flatten_leading", ["x"]) { $0[0].reshaped([6, 4]) }
        try check("reshape.merge_trailing", ["x"]) { $0[0].reshaped([2, 12]) }
        try check("reshape.split_last", ["x"]) { $0[0].reshaped([2, 3, 4, 3]) }
        try check("slice.axis1", ["x"]) { $0[0].sliced(axis: 1, 1..<4) }
        try check("slice.last", ["x"]) { $0[0].sliced(axis: 2, 2..<4) }
        try check("concat.axis1", ["x", "w"]) { Variable.concatenate($0, axis: 1) }
        try check("concat.last", ["x", "w"]) { Variable.concatenate($0, axis: 2) }
    }

    func testIndexing() throws {
        let batch = try golden.integers("embedding.basic.ids", source: "ops")
        let rows = stride(from: 0, to: batch.values.count, by: batch.shape[1]).map { Array(batch.values[$0..<($0 + batch.shape[1])]) }
        try check("embedding.basic", ["w"]) { $0[0].embed(rows) }
        let index = try ids("gather_last.basic.index")
        try check("gather_last.basic", ["x"]) { $0[0].gatherLast(index) }
    }

    func testSoftmaxesAndLoss() throws {
        try check("softmax.basic", ["x"]) { $0[0].softmax() }
        try check("log_softmax.basic", ["x"]) { $0[0].logSoftmax() }
        for c in ["plain", "ignore"] {
            let targets = try ids("cross_entropy.\(c).target")
            try check("cross_entropy.\(c)", ["x"]) { $0[0].crossEntropy(targets: targets) }
        }
    }

    /// TL's LayerNorm as two nodes: the scale (hook_scale) and the normalized values (hook_normalized).
    func testLayerNormSplitAndAffine() throws {
        for c in ["both", "normalized_only"] {
            let op = "layernorm_split.\(c)"
            let tape = Tape()
            let x = tape.variable(try t("\(op).x"))
            let scale = x.layerNormScale(eps: 1e-5)
            let normalized = x.layerNormalized(scale: scale)
            assertClose(scale.value, try t("\(op).y_scale"), "\(op) scale")
            assertClose(normalized.value, try t("\(op).y_normalized"), "\(op) normalized")
            let loss = (scale * Variable(try t("\(op).dy_scale"))).sum() + (normalized * Variable(try t("\(op).dy_normalized"))).sum()
            tape.backward(from: loss)
            assertClose(x.gradient, try t("\(op).dx"), "\(op) dx")
            if c == "normalized_only" {
                // The fused node (nothing reads the scale) gives the same gradient.
                let tape2 = Tape()
                let x2 = tape2.variable(try t("\(op).x"))
                tape2.backward(from: x2.layerNorm(eps: 1e-5), seed: try t("\(op).dy_normalized"))
                assertClose(x2.gradient, try t("\(op).dx"), "\(op) dx (fused)")
            }
        }
        try check("ln_affine.basic", ["x", "w", "b"]) { $0[0].affine(weight: $0[1], bias: $0[2]) }
    }

    func testAttention() throws {
        let dHead = Float(try t("attn_scores.causal.q").shape[3])
        try check("attn_scores.causal", ["q", "k"]) { Variable.attentionScores(q: $0[0], k: $0[1], scale: 1 / dHead.squareRoot(), causal: true) }
        try check("attn_pattern.causal", ["x"]) { Variable.attentionPattern($0[0], causal: true) }
        try check("attn_pattern.fully_masked_row", ["x"]) { Variable.attentionPattern($0[0], causal: true) }
        try check("attn_mix.causal", ["pattern", "v"]) { Variable.attentionMix(pattern: $0[0], v: $0[1]) }
    }
}
