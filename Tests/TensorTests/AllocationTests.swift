// The tensor-storage byte counter.
import Tensor
import XCTest

final class AllocationTests: XCTestCase {
    func testCountsOpOutputsButNotReshapes() throws {
        let a = Tensor.zeros([8, 8])
        let b = Tensor.ones([8, 8])
        // Tests may run in parallel processes but not threads here; compare differences only.
        let (_, matmulBytes) = TensorAllocations.measure { a.matmul(b) }
        XCTAssertEqual(matmulBytes, 8 * 8 * 4)
        let (_, reshapeBytes) = TensorAllocations.measure { try? a.reshaped([64]) }
        XCTAssertEqual(reshapeBytes, 0)
        let (_, addBytes) = TensorAllocations.measure { a + b + b }
        XCTAssertEqual(addBytes, 2 * 64 * 4)
        TensorAllocations.reset()
        XCTAssertEqual(TensorAllocations.bytes, 0)
    }
}
