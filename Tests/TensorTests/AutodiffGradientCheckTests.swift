// Every differentiable op against central finite differences on small tensors.
import Foundation
import Tensor
import XCTest

/// Checks the tape's gradients of `Σ f(inputs) ⊙ R` (R a fixed random tensor) against central
/// differences, element by element, for every input: |analytic − numeric| ≤ absolute + relative·|numeric|.
/// (Measured worst errors are about 2e-5 here; a gradient off by 1% fails.)
func gradientCheck(_ inputs: [Tensor], eps: Float = 3e-3, absolute: Float = 1e-4, relative: Float = 1e-3, seed: UInt64 = 99,
                   file: StaticString = #filePath, line: UInt = #line,
                   _ f: ([Variable]) -> Variable) {
    var rng = SeededRandom(seed: seed)
    func loss(_ xs: [Tensor]) -> (Double, Tape, [Variable], Variable) {
        let tape = Tape()
        let vars = xs.map { tape.variable($0) }
        let out = f(vars)
        return (0, tape, vars, out)
    }
    let probe = loss(inputs)
    let r = Tensor.randomUniform(probe.3.shape, low: -1, high: 1, using: &rng)
    func value(_ xs: [Tensor]) -> Double {
        let tape = Tape()
        let out = f(xs.map { tape.variable($0) }).value
        var total = 0.0
        for i in 0..<out.count { total += Double(out.scalars[i]) * Double(r.scalars[i]) }
        return total
    }
    let tape = probe.1
    tape.backward(from: probe.3, seed: r)
    for (k, v) in probe.2.enumerated() {
        let analytic = tape.gradient(of: v)
        XCTAssertEqual(analytic.shape, inputs[k].shape, "input \(k) gradient shape", file: file, line: line)
        var worst: Float = 0
        for i in 0..<inputs[k].count {
            var plus = inputs, minus = inputs
            plus[k].withUnsafeMutableBufferPointer { $0[i] += eps }
            minus[k].withUnsafeMutableBufferPointer { $0[i] -= eps }
            let numeric = Float((value(plus) - value(minus)) / Double(2 * eps))
            let a = analytic.scalars[i]
            let error = abs(a - numeric) / (absolute + relative * abs(numeric))
            worst = max(worst, error)
            if error > 1 {
                XCTFail("input \(k) element \(i): analytic \(a), numeric \(numeric)", file: file, line: line)
                return
            }
        }
        if ProcessInfo.processInfo.environment["GRADCHECK_VERBOSE"] != nil { print("gradcheck \(line) input \(k): worst error ratio \(worst)") }
    }
}

final class AutodiffGradientCheckTests: XCTestCase {
    var rng = SeededRandom(seed: 1)
    func rand(_ shape: [Int], _ low: Float = -1, _ high: Float = 1) -> Tensor {
        Tensor.randomUniform(shape, low: low, high: high, using: &rng)
    }
    /// Values away from 0 (for kinks and logarithms).
    func awayFromZero(_ shape: [Int]) -> Tensor { rand(shape).map { $0 < 0 ? $0 - 0.1 : $0 + 0.1 } }

    func testArithmeticWithBroadcasting() {
        gradientCheck([rand([2, 3, 4]), rand([3, 4])]) { $0[0] + $0[1] }
        gradientCheck([rand([2, 3, 4]), rand([2, 1, 4])]) { $0[0] - $0[1] }
        gradientCheck([rand([2, 3, 4]), rand([4])]) { $0[0] * $0[1] }
        gradientCheck([rand([3, 1]), rand([1, 4])]) { $0[0] * $0[1] }
        gradientCheck([rand([2, 3])]) { ($0[0] * 1.5 + 2) * -$0[0] }
        gradientCheck([rand([2, 3])]) { 0.5 * $0[0].exp() }
        gradientCheck([rand([2, 3], 0.5, 2)]) { $0[0].log() }
    }

    func testReductions() {
        gradientCheck([rand([2, 3, 4])]) { $0[0].sum() }
        gradientCheck([rand([2, 3, 4])]) { $0[0].mean() }
        gradientCheck([rand([2, 3, 4])]) { $0[0].sum(axis: 1) }
        gradientCheck([rand([2, 3, 4])]) { $0[0].mean(axis: -1, keepDims: true) }
    }

    func testMatmulInEveryLayout() {
        for ta in [false, true] {
            for tb in [false, true] {
                let a = ta ? rand([2, 4, 3]) : rand([2, 3, 4]), b = tb ? rand([2, 5, 4]) : rand([2, 4, 5])
                gradientCheck([a, b]) { $0[0].matmul($0[1], transposeA: ta, transposeB: tb) }
                let shared = tb ? rand([5, 4]) : rand([4, 5])
                gradientCheck([a, shared]) { $0[0].matmul($0[1], transposeA: ta, transposeB: tb) }
                let sharedA = ta ? rand([4, 3]) : rand([3, 4])
                gradientCheck([sharedA, b]) { $0[0].matmul($0[1], transposeA: ta, transposeB: tb) }
            }
        }
    }

    func testLinear() {
        gradientCheck([rand([2, 3, 4]), rand([4, 5]), rand([5])]) { $0[0].linear(weight: $0[1], bias: $0[2]) }
        gradientCheck([rand([2, 3, 4]), rand([4, 5]), rand([3, 5])]) { $0[0].linear(weight: $0[1], bias: $0[2]) }
        gradientCheck([rand([3, 4]), rand([4, 2])]) { $0[0].linear(weight: $0[1]) }
    }

    func testLayoutOps() {
        gradientCheck([rand([2, 3, 4])]) { $0[0].reshaped([6, -1]) * $0[0].reshaped([6, 4]) }
        gradientCheck([rand([2, 3, 4])]) { $0[0].permuted([2, 0, 1]) }
        gradientCheck([rand([2, 5, 3])]) { $0[0].sliced(axis: 1, 1..<4) }
        gradientCheck([rand([2, 2, 3]), rand([2, 1, 3])]) { Variable.concatenate([$0[0], $0[1], $0[0]], axis: 1) }
        gradientCheck([rand([6, 3])]) { $0[0].embed([[1, 5, 1], [0, 2, 1]]) }
        gradientCheck([rand([3, 4])]) { $0[0].gatherLast([3, 0, 3]) }
    }

    func testAttentionOps() {
        let (b, p, h, d) = (2, 4, 2, 3)
        for causal in [false, true] {
            gradientCheck([rand([b, p, h, d]), rand([b, p, h, d])]) {
                let s = Variable.attentionScores(q: $0[0], k: $0[1], scale: 0.7, causal: causal)
                // -∞ entries would make the check meaningless: read them through the pattern.
                return Variable.attentionPattern(s, causal: causal)
            }
            gradientCheck([rand([b, h, p, p], -2, 2)]) { Variable.attentionPattern($0[0], causal: causal) }
        }
        gradientCheck([rand([b, 3, h, d]), rand([b, 5, h, d])]) {   // 3 queries after a 2-key prefix
            Variable.attentionPattern(Variable.attentionScores(q: $0[0], k: $0[1], scale: 0.5, causal: true), causal: true)
        }
        gradientCheck([rand([b, p, h, d]), rand([b, p, h, d])]) {
            Variable.attentionScores(q: $0[0], k: $0[1], scale: 0.5, causal: false)
        }
        gradientCheck([rand([b, h, p, p], 0, 1), rand([b, p, h, d])]) { Variable.attentionMix(pattern: $0[0], v: $0[1]) }
        gradientCheck([rand([3, 5], -2, 2)]) { $0[0].softmax() }
        gradientCheck([rand([3, 5], -2, 2)]) { $0[0].logSoftmax() }
    }

    func testNormsActivationsAndLoss() {
        gradientCheck([rand([2, 3, 6], -2, 2)]) { $0[0].layerNorm(eps: 1e-5) }
        gradientCheck([rand([2, 6]), rand([6]), rand([6])]) { $0[0].affine(weight: $0[1], bias: $0[2]) }
        gradientCheck([rand([3, 4], -3, 3)]) { $0[0].geluNew() }
        gradientCheck([rand([3, 4], -3, 3)]) { $0[0].gelu() }
        gradientCheck([awayFromZero([3, 4])]) { $0[0].relu() }
        gradientCheck([rand([2, 3, 7], -2, 2)]) { $0[0].crossEntropy(targets: [0, 6, -1, 3, 3, 1]) }
    }

    func testGradientsAccumulateOverUsesAndSkipConstants() {
        let tape = Tape()
        let x = tape.variable(Tensor([1, 2, 3])), c = tape.constant(Tensor([4, 5, 6]))
        let y = (x * x + x * c).sum()              // dy/dx = 2x + c
        XCTAssertFalse(c.requiresGrad)
        tape.backward(from: y)
        XCTAssertEqual(tape.gradient(of: x).scalars, [6, 9, 12])
        XCTAssertEqual(tape.gradient(of: c).scalars, [0, 0, 0])
        let constantOnly = c * c
        XCTAssertFalse(constantOnly.requiresGrad)
        tape.clearGradients()
        tape.backward(from: y, seed: Tensor(2))
        XCTAssertEqual(x.gradient.scalars, [12, 18, 24])
    }

    func testCrossEntropyValue() {
        // log-sum-exp of [0, ln 3] is ln 4: the loss of target 1 is ln 4 - ln 3.
        let logits = Tensor([0, logf(3)])
        XCTAssertEqual(logits.reshapedUnchecked([1, 2]).crossEntropy(targets: [1]), logf(4) - logf(3), accuracy: 1e-6)
        XCTAssertEqual(logits.reshapedUnchecked([1, 2]).crossEntropy(targets: [-1]), 0)
    }
}
