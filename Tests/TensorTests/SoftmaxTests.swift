// Softmax, log-softmax, causal masking and the attention ops against Double references.
import Foundation
@testable import Tensor
import XCTest

final class SoftmaxTests: XCTestCase {
    private func referenceSoftmax(_ row: [Float]) -> [Double] {
        let m = row.map(Double.init).max() ?? 0
        let e = row.map { Foundation.exp(Double($0) - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    func testSoftmaxMatchesDoubleReferenceAndIsStable() throws {
        let rows: [[Float]] = [[1, 2, 3, 4], [1000, 1001, 999, 1000], [-50, 0, 50, -.infinity], [0.1, 0.1, 0.1, 0.1]]
        let t = try Tensor(shape: [4, 4], scalars: rows.flatMap { $0 })
        let s = t.softmax()
        for (i, row) in rows.enumerated() {
            let expected = referenceSoftmax(row)
            for j in 0..<4 { XCTAssertEqual(Double(s[i, j]), expected[j], accuracy: 1e-6, "row \(i) col \(j)") }
        }
        XCTAssertEqual(s[2, 3], 0)
        let logS = t.logSoftmax()
        for (i, row) in rows.enumerated() {
            let expected = referenceSoftmax(row)
            for j in 0..<3 { XCTAssertEqual(Double(logS[i, j]), Foundation.log(expected[j]), accuracy: 1e-4, "row \(i) col \(j)") }
        }
        XCTAssertEqual(logS[2, 3], -.infinity)
    }

    func testFullyMaskedRowIsZerosNotNaN() throws {
        let t = try Tensor(shape: [2, 3], scalars: [-.infinity, -.infinity, -.infinity, 0, 0, -.infinity])
        XCTAssertEqual(t.softmax().scalars, [0, 0, 0, 0.5, 0.5, 0])
        XCTAssertEqual(Array(t.logSoftmax().scalars[0..<3]), [-.infinity, -.infinity, -.infinity])
    }

    func testCausalMask() throws {
        let t = Tensor.ones([1, 3, 3]).causallyMasked()
        XCTAssertEqual(t.scalars, [1, -.infinity, -.infinity, 1, 1, -.infinity, 1, 1, 1])
        let offset = Tensor.ones([2, 3]).causallyMasked(keyOffset: 1)   // 2 queries after 1 earlier key
        XCTAssertEqual(offset.scalars, [1, 1, -.infinity, 1, 1, 1])
    }

    /// The attention ops equal per-head matrix products of materialised head slices.
    func testAttentionOpsMatchPerHeadMatmuls() throws {
        var rng = SeededRandom(seed: 21)
        let (b, p, h, d) = (2, 5, 3, 4)
        let q = Tensor.randomNormal([b, p, h, d], using: &rng)
        let k = Tensor.randomNormal([b, p, h, d], using: &rng)
        let v = Tensor.randomNormal([b, p, h, d], using: &rng)
        let scores = Tensor.attentionScores(q: q, k: k, scale: 0.5, causal: true)
        XCTAssertEqual(scores.shape, [b, h, p, p])
        let qh = q.permuted([0, 2, 1, 3]), kh = k.permuted([0, 2, 1, 3]), vh = v.permuted([0, 2, 1, 3])
        let expected = (qh.matmul(kh, transposeB: true) * 0.5).causallyMasked()
        XCTAssertLessThanOrEqual(scores.maxAbsDifference(expected), 1e-5)

        let pattern = Tensor.attentionPattern(scores, causal: true)
        XCTAssertLessThanOrEqual(pattern.maxAbsDifference(expected.softmax()), 1e-6)
        // Without the mask written, the causal pattern ignores whatever sits above the diagonal.
        let unmasked = Tensor.attentionScores(q: q, k: k, scale: 0.5, causal: false)
        XCTAssertLessThanOrEqual(Tensor.attentionPattern(unmasked, causal: true).maxAbsDifference(pattern), 1e-6)
        XCTAssertGreaterThan(Tensor.attentionPattern(unmasked, causal: false).maxAbsDifference(pattern), 1e-3)

        let z = Tensor.attentionMix(pattern: pattern, v: v)
        XCTAssertEqual(z.shape, [b, p, h, d])
        XCTAssertLessThanOrEqual(z.maxAbsDifference(pattern.matmul(vh).permuted([0, 2, 1, 3])), 1e-5)
    }

    func testAttentionPatternZeroesNaNRowsLikeTransformerLens() throws {
        let scores = try Tensor(shape: [1, 1, 2, 2], scalars: [.nan, 1, 0, .infinity])
        XCTAssertEqual(Tensor.attentionPattern(scores, causal: false).scalars, [0, 0, 0, 0])
        XCTAssertTrue(scores.softmax().scalars.allSatisfy(\.isNaN))
    }

    func testFastExpAccuracy() {
        var worst: Double = 0
        var x: Float = -87
        while x < 88 {
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(fastExp(x)) - exact) / exact)
            x += 0.01731
        }
        XCTAssertLessThan(worst, 4e-7)
        XCTAssertEqual(fastExp(-.infinity), 0)
        XCTAssertEqual(fastExp(-100), 0)
        XCTAssertEqual(fastExp(0), 1)
        XCTAssertTrue(fastExp(.nan).isNaN)
        XCTAssertEqual(fastExp(100), .infinity)
        for lanes in [SIMD4<Float>(-100, -3, -0.5, 0), SIMD4<Float>(0.25, 1, 10, 80), SIMD4<Float>(.nan, -.infinity, 100, 88.5)] {
            let v = fastExp(lanes)
            for i in 0..<4 { XCTAssertTrue(v[i] == fastExp(lanes[i]) || (v[i].isNaN && lanes[i].isNaN), "lane \(lanes[i])") }
        }
        XCTAssertEqual(Double(fastTanh(0.3)), Foundation.tanh(0.3), accuracy: 2e-7)
        XCTAssertEqual(Double(fastTanh(-4)), Foundation.tanh(-4.0), accuracy: 2e-7)
    }
}
