// The sgemm wrapper's edge cases and the kernel-family decision.
import Tensor
import XCTest

final class BLASTests: XCTestCase {
    func testStridedSgemmAndEmptyInnerDimension() {
        // C (2×2, row stride 3) = A (2×3) · Bᵀ where B is 2×3.
        let a: [Float] = [1, 2, 3, 4, 5, 6], b: [Float] = [1, 0, 1, 0, 1, 0]
        var c = [Float](repeating: 7, count: 6)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.sgemm(transposeB: true, m: 2, n: 2, k: 3, a: pa.baseAddress!, lda: 3, b: pb.baseAddress!, ldb: 3,
                               c: pc.baseAddress!, ldc: 3)
                }
            }
        }
        XCTAssertEqual(c, [4, 2, 7, 10, 5, 7], "the third column of each row is left alone")
        c.withUnsafeMutableBufferPointer { pc in
            BLAS.sgemm(m: 2, n: 2, k: 0, alpha: 1, a: pc.baseAddress!, lda: 1, b: pc.baseAddress!, ldb: 2, beta: 0.5,
                       c: pc.baseAddress!, ldc: 3)
        }
        XCTAssertEqual(c, [2, 1, 7, 5, 2.5, 7], "k = 0 scales C by beta")
    }

    func testThreadControl() {
        BLAS.useSingleThread()
        XCTAssertEqual(BLAS.threadCount, 1)
        XCTAssertFalse(BLAS.coreName.isEmpty)
    }

    func testPreferredCoreTypeNeedsAVX512OnAnAVX2Family() {
        let avx512: Set<String> = ["avx2", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        XCTAssertEqual(BLAS.preferredCoreType(currentCore: "Haswell", cpuFlags: avx512), "SkylakeX")
        XCTAssertEqual(BLAS.preferredCoreType(currentCore: "Zen", cpuFlags: avx512), "SkylakeX")
        XCTAssertNil(BLAS.preferredCoreType(currentCore: "SkylakeX", cpuFlags: avx512))
        XCTAssertNil(BLAS.preferredCoreType(currentCore: "Haswell", cpuFlags: ["avx2", "avx512f"]))
    }
}
