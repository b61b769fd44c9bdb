// Broadcasting arithmetic and unary maps.
import Foundation
import Tensor
import XCTest

final class ElementwiseTests: XCTestCase {
    func testSameShapeArithmetic() throws {
        let a = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = try Tensor(shape: [2, 2], scalars: [10, 20, 30, 40])
        XCTAssertEqual((a + b).scalars, [11, 22, 33, 44])
        XCTAssertEqual((b - a).scalars, [9, 18, 27, 36])
        XCTAssertEqual((a * b).scalars, [10, 40, 90, 160])
        XCTAssertEqual((b / a).scalars, [10, 10, 10, 10])
    }

    func testBroadcastingFollowsNumpyRules() throws {
        let x = try Tensor(shape: [2, 2, 3], scalars: (0..<12).map(Float.init))
        let suffix = try Tensor(shape: [2, 3], scalars: [100, 200, 300, 400, 500, 600])
        let sum = x + suffix                                         // [2,3] repeats over the batch
        XCTAssertEqual(sum[1, 1, 2], 11 + 600)
        XCTAssertEqual(sum[0, 0, 0], 100)
        let column = try Tensor(shape: [2, 2, 1], scalars: [1, 2, 3, 4])
        let scaled = x * column                                      // [..., 1] stretches (LayerNorm scale)
        XCTAssertEqual(scaled[1, 0, 2], 8 * 3)
        let left = try Tensor(shape: [3, 1], scalars: [1, 2, 3])
        let right = Tensor([10, 20])
        XCTAssertEqual((left + right).shape, [3, 2])
        XCTAssertEqual((left + right).scalars, [11, 21, 12, 22, 13, 23])
        XCTAssertEqual((right - left)[2, 0], 7)
        XCTAssertNil(Tensor.broadcastShape([2, 3], [4]))
        XCTAssertEqual(Tensor.broadcastShape([1, 3], [2, 1]), [2, 3])
    }

    func testScalarOpsAndInPlace() throws {
        var a = try Tensor(shape: [3], scalars: [1, -2, 3])
        XCTAssertEqual((a * 2).scalars, [2, -4, 6])
        XCTAssertEqual((2 * a).scalars, [2, -4, 6])
        XCTAssertEqual((a + 1).scalars, [2, -1, 4])
        XCTAssertEqual((a - 1).scalars, [0, -3, 2])
        XCTAssertEqual((a / 2).scalars, [0.5, -1, 1.5])
        XCTAssertEqual((-a).scalars, [-1, 2, -3])
        a += Tensor([1, 1, 1])
        XCTAssertEqual(a.scalars, [2, -1, 4])
        a *= 3
        XCTAssertEqual(a.scalars, [6, -3, 12])
        var m = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        m += Tensor([10, 20])
        XCTAssertEqual(m.scalars, [11, 22, 13, 24])
    }

    func testUnaryMaps() throws {
        let a = try Tensor(shape: [3], scalars: [0, 1, 4])
        XCTAssertEqual(a.sqrt().scalars, [0, 1, 2])
        XCTAssertEqual(a.squared().scalars, [0, 1, 16])
        XCTAssertEqual(a.exp()[1], Float(M_E), accuracy: 1e-6)
        XCTAssertEqual(a.exp().log()[2], 4, accuracy: 1e-5)
        XCTAssertEqual(Tensor([-3, 2]).abs().scalars, [3, 2])
        XCTAssertEqual(a.map { $0 + 0.5 }.scalars, [0.5, 1.5, 4.5])
    }
}
