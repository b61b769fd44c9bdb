// Permute, transpose, slicing, selection, concatenation, stacking, broadcasting copies.
import Tensor
import XCTest

final class LayoutTests: XCTestCase {
    private func iota(_ shape: [Int]) throws -> Tensor {
        try Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map(Float.init))
    }

    func testPermuteMovesEveryElement() throws {
        let t = try iota([2, 3, 4])
        let p = t.permuted([2, 0, 1])
        XCTAssertEqual(p.shape, [4, 2, 3])
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { XCTAssertEqual(p[k, i, j], t[i, j, k]) } } }
        let q = t.permuted([1, 0, 2])   // keeps the inner axis contiguous (block copy path)
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { XCTAssertEqual(q[j, i, k], t[i, j, k]) } } }
        XCTAssertEqual(t.permuted([0, 1, 2]), t)
    }

    func testTransposeSwapsLastTwoAxes() throws {
        let t = try iota([2, 3])
        XCTAssertEqual(t.transposed().scalars, [0, 3, 1, 4, 2, 5])
        XCTAssertEqual(try iota([2, 2, 3]).transposed().shape, [2, 3, 2])
    }

    func testSliceSelectConcatenateStack() throws {
        let t = try iota([2, 3, 2])
        let s = t.sliced(axis: 1, 1..<3)
        XCTAssertEqual(s.shape, [2, 2, 2])
        XCTAssertEqual(s.scalars, [2, 3, 4, 5, 8, 9, 10, 11])
        XCTAssertEqual(t.select(axis: 0, 1).scalars, [6, 7, 8, 9, 10, 11])
        XCTAssertEqual(t.select(axis: -1, 0).scalars, [0, 2, 4, 6, 8, 10])
        let joined = Tensor.concatenate([t.sliced(axis: 1, 0..<1), t.sliced(axis: 1, 1..<3)], axis: 1)
        XCTAssertEqual(joined, t)
        let parts = Tensor.concatenate([(t, 0..<1), (t, 2..<3)], axis: 1)
        XCTAssertEqual(parts.scalars, [0, 1, 4, 5, 6, 7, 10, 11])
        let stacked = Tensor.stack([t.select(axis: 0, 0), t.select(axis: 0, 1)])
        XCTAssertEqual(stacked, t)
        XCTAssertEqual(Tensor.stack([Tensor([1, 2]), Tensor([3, 4])], axis: 1).scalars, [1, 3, 2, 4])
    }

    func testBroadcastTo() throws {
        let row = Tensor([1, 2])
        XCTAssertEqual(row.broadcast(to: [2, 2]).scalars, [1, 2, 1, 2])
        let column = try Tensor(shape: [2, 1], scalars: [5, 6])
        XCTAssertEqual(column.broadcast(to: [2, 3]).scalars, [5, 5, 5, 6, 6, 6])
        XCTAssertEqual(column.broadcast(to: [2, 1]), column)
    }
}
