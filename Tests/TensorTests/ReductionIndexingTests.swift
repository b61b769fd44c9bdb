// Reductions along axes and the indexing ops (gather, embedding lookup, one-hot).
import Tensor
import XCTest

final class ReductionIndexingTests: XCTestCase {
    func testReductionsAlongAxes() throws {
        let t = try Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
        XCTAssertEqual(t.sum(axis: 0).scalars, [5, 7, 9])
        XCTAssertEqual(t.sum(axis: 1).scalars, [9, 12])
        XCTAssertEqual(t.sum(axis: -1, keepDims: true).shape, [2, 1])
        XCTAssertEqual(t.mean(axis: 1).scalars, [3, 4])
        XCTAssertEqual(t.max(axis: 1).scalars, [5, 6])
        XCTAssertEqual(t.max(axis: 0).scalars, [4, 5, 6])
        XCTAssertEqual(t.argmax(axis: 1), [1, 2])
        XCTAssertEqual(t.argmax(axis: 0), [1, 0, 1])
        XCTAssertEqual(t.sum(), 21)
        XCTAssertEqual(t.mean(), 3.5)
        XCTAssertEqual(t.max(), 6)
        XCTAssertEqual(t.min(), 1)
        XCTAssertEqual(Tensor([2, 7, 7]).argmax(axis: 0), [1])
    }

    func testTopKAndDescription() throws {
        let t = Tensor([0.5, 3, .nan, 3, -1])
        let top = t.topK(3)
        XCTAssertEqual(top.map(\.index), [1, 3, 0])
        XCTAssertEqual(top.map(\.value), [3, 3, 0.5])
        XCTAssertEqual(t.topK(10).count, 5)
        XCTAssertEqual("\(Tensor([1, 2]))", "Tensor[2]([1.0, 2.0])")
        XCTAssertTrue("\(Tensor.zeros([3, 3]))".hasSuffix("… (9 elements)])"))
    }

    func testGatherAndEmbedding() throws {
        let table = try Tensor(shape: [4, 2], scalars: [0, 1, 10, 11, 20, 21, 30, 31])
        XCTAssertEqual(table.gatherRows([3, 0, 3]).scalars, [30, 31, 0, 1, 30, 31])
        let e = table.embed([[1, 2], [3, 0]])
        XCTAssertEqual(e.shape, [2, 2, 2])
        XCTAssertEqual(e[1, 0, 1], 31)
        let logits = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(logits.gatherLast([2, 0]).scalars, [3, 4])
        XCTAssertEqual(Tensor.oneHot([1, 0], depth: 3).scalars, [0, 1, 0, 1, 0, 0])
    }
}
