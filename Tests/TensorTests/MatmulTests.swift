// sgemm-backed products against a naive triple loop in Double.
import Tensor
import XCTest

final class MatmulTests: XCTestCase {
    private func naive(_ a: [[Float]], _ b: [[Float]]) -> [[Float]] {
        a.map { row in (0..<b[0].count).map { j in Float(zip(row, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1[j]) }) } }
    }

    private func matrix(_ t: Tensor) -> [[Float]] {
        (0..<t.shape[0]).map { i in (0..<t.shape[1]).map { t[i, $0] } }
    }

    func testMatmulAndTransposeFlags() throws {
        var rng = SeededRandom(seed: 11)
        let a = Tensor.randomNormal([5, 7], using: &rng)
        let b = Tensor.randomNormal([7, 3], using: &rng)
        let expected = naive(matrix(a), matrix(b))
        let c = a.matmul(b)
        XCTAssertEqual(c.shape, [5, 3])
        for i in 0..<5 { for j in 0..<3 { XCTAssertEqual(c[i, j], expected[i][j], accuracy: 1e-5) } }
        let viaFlags = a.transposed().matmul(b.transposed(), transposeA: true, transposeB: true)
        XCTAssertLessThanOrEqual(viaFlags.maxAbsDifference(c), 1e-5)
    }

    func testBatchedAndBroadcastMatmul() throws {
        var rng = SeededRandom(seed: 12)
        let a = Tensor.randomNormal([4, 2, 3], using: &rng)
        let b = Tensor.randomNormal([4, 3, 5], using: &rng)
        let c = a.matmul(b)
        XCTAssertEqual(c.shape, [4, 2, 5])
        for n in 0..<4 {
            let expected = naive(matrix(a.select(axis: 0, n)), matrix(b.select(axis: 0, n)))
            for i in 0..<2 { for j in 0..<5 { XCTAssertEqual(c[n, i, j], expected[i][j], accuracy: 1e-5) } }
        }
        let shared = Tensor.randomNormal([3, 5], using: &rng)
        let d = a.matmul(shared)                    // one sgemm over all rows of a
        let e = a.matmul(Tensor.stack(Array(repeating: shared, count: 4)))
        XCTAssertLessThanOrEqual(d.maxAbsDifference(e), 1e-5)
        let f = a.matmul(a, transposeA: true)       // [4, 3, 3] per batch entry
        XCTAssertEqual(f.shape, [4, 3, 3])
        let g = a.select(axis: 0, 2)
        XCTAssertLessThanOrEqual(f.select(axis: 0, 2).maxAbsDifference(g.transposed().matmul(g)), 1e-5)
    }

    func testLinearWithVectorAndBlockBias() throws {
        var rng = SeededRandom(seed: 13)
        let x = Tensor.randomNormal([2, 3, 4], using: &rng)
        let w = Tensor.randomNormal([4, 5], using: &rng)
        let bias = Tensor.randomNormal([5], using: &rng)
        XCTAssertLessThanOrEqual(x.linear(weight: w, bias: bias).maxAbsDifference(x.matmul(w) + bias), 1e-5)
        XCTAssertLessThanOrEqual(x.linear(weight: w).maxAbsDifference(x.matmul(w)), 1e-6)
        let perPosition = Tensor.randomNormal([3, 5], using: &rng)
        XCTAssertLessThanOrEqual(x.linear(weight: w, bias: perPosition).maxAbsDifference(x.matmul(w) + perPosition), 1e-5)
    }

    func testEmptyInnerDimensionGivesZerosOrBias() throws {
        let a = Tensor.zeros([2, 0]), b = Tensor.zeros([0, 3])
        XCTAssertEqual(a.matmul(b).scalars, [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(a.linear(weight: b, bias: Tensor([1, 2, 3])).scalars, [1, 2, 3, 1, 2, 3])
    }
}
