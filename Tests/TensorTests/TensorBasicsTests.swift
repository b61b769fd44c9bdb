// Construction, shape validation, reshape, element access.
import Tensor
import XCTest

final class TensorBasicsTests: XCTestCase {
    func testInitValidatesElementCount() throws {
        let t = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(t.rank, 2)
        XCTAssertEqual(t.count, 6)
        XCTAssertEqual(t[1, 2], 6)
        XCTAssertEqual(t[-1, 0], 4)
        XCTAssertThrowsError(try Tensor(shape: [2, 3], scalars: [1, 2])) { error in
            XCTAssertEqual("\(error)", "shape [2, 3] needs 6 elements, got 2")
        }
        XCTAssertThrowsError(try Tensor(shape: [-1, 3], scalars: []))
    }

    func testScalarsAndFactories() {
        XCTAssertEqual(Tensor(2.5).shape, [])
        XCTAssertEqual(Tensor(2.5).item, 2.5)
        XCTAssertEqual(Tensor.zeros([2, 2]).scalars, [0, 0, 0, 0])
        XCTAssertEqual(Tensor.ones([3]).scalars, [1, 1, 1])
        XCTAssertEqual(Tensor(shape: [0, 4], repeating: 1).count, 0)
        XCTAssertEqual(Tensor([1, 2, 3]).shape, [3])
    }

    func testSubscriptSetUsesCopyOnWrite() throws {
        let a = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        var b = a
        b[0, 1] = 9
        XCTAssertEqual(a[0, 1], 2)
        XCTAssertEqual(b[0, 1], 9)
        XCTAssertEqual(b.flatIndex([1, 1]), 3)
    }

    func testReshapeInfersOneDimensionAndRejectsMismatch() throws {
        let t = try Tensor(shape: [2, 6], scalars: (0..<12).map(Float.init))
        XCTAssertEqual(try t.reshaped([3, -1]).shape, [3, 4])
        XCTAssertEqual(try t.reshaped([12]).scalars, t.scalars)
        XCTAssertThrowsError(try t.reshaped([5, -1]))
        XCTAssertThrowsError(try t.reshaped([-1, -1]))
        XCTAssertThrowsError(try t.reshaped([4, 4])) { error in
            XCTAssertTrue("\(error)".contains("cannot become [4, 4]"))
        }
    }

    func testMaxAbsDifferenceTreatsEqualInfinitiesAsEqual() throws {
        let a = try Tensor(shape: [3], scalars: [-.infinity, 1, 2])
        let b = try Tensor(shape: [3], scalars: [-.infinity, 1.5, 2])
        XCTAssertEqual(a.maxAbsDifference(b), 0.5)
        XCTAssertTrue(a.isClose(to: a, tolerance: 0))
        let c = try Tensor(shape: [3], scalars: [.nan, 1, 2])
        XCTAssertEqual(a.maxAbsDifference(c), .infinity)
    }
}
