// OpenBLAS access: thread control and a thin sgemm wrapper that every matmul goes through.
import CBLAS

/// OpenBLAS entry points used by the engine.
public enum BLAS {
    /// Pins OpenBLAS to one thread. The CLI calls this at start: the two vCPUs of the target
    /// machines share one core's floating-point units, so a second thread only adds overhead.
    public static func useSingleThread() { openblas_set_num_threads(1) }

    /// Sets the number of OpenBLAS threads (at least 1).
    public static func setThreadCount(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    /// The number of threads OpenBLAS currently uses.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// `C = alpha · op(A) · op(B) + beta · C` on row-major buffers, where `op(X)` is `X` or `Xᵀ`.
    ///
    /// `m×k` is the shape of `op(A)`, `k×n` of `op(B)`, `m×n` of `C`; `lda`, `ldb`, `ldc` are the
    /// row strides (in elements) of the matrices as stored. Sizes of zero are a no-op.
    public static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            // BLAS leaves C scaled by beta; do the same without calling it with k = 0.
            for i in 0..<m {
                let row = c + i * ldc
                for j in 0..<n { row[j] = beta == 0 ? 0 : beta * row[j] }
            }
            return
        }
        if m == 1 && !transposeA {
            // A row vector times a matrix (a generated token, a last-position readout): sgemv reads
            // the matrix once, where sgemm would first copy it into its packed layout.
            cblas_sgemv(CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans,
                        Int32(transposeB ? n : k), Int32(transposeB ? k : n), alpha,
                        b, Int32(ldb), a, 1, beta, c, 1)
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

// MARK: - Kernel selection

#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension BLAS {
    /// The OpenBLAS kernel family in use (e.g. "Haswell", "SkylakeX").
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The kernel family OpenBLAS should use here when it picked a weaker one, or nil.
    ///
    /// OpenBLAS 0.3.21 does not know recent CPUs such as AMD Zen 5 and falls back to its AVX2
    /// "Haswell" kernels although the CPU has AVX-512; its "SkylakeX" kernels then run sgemm about
    /// twice as fast (measured here: 135 → 250 GFLOP/s at 256³). The family can only be chosen
    /// through `OPENBLAS_CORETYPE` before the library loads; see `relaunchWithPreferredCore()`.
    public static var preferredCoreType: String? {
        #if os(Linux)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(flagsLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
        return preferredCoreType(currentCore: coreName, cpuFlags: flags)
        #else
        return nil
        #endif
    }

    /// The decision behind `preferredCoreType`: "SkylakeX" when the current family is an AVX2 one
    /// and the CPU flags include AVX-512 F, CD, BW, DQ and VL.
    public static func preferredCoreType(currentCore: String, cpuFlags: Set<String>) -> String? {
        let avx2Families: Set<String> = ["haswell", "zen"]
        let needed: Set<String> = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        guard avx2Families.contains(currentCore.lowercased()), needed.isSubset(of: cpuFlags) else { return nil }
        return "SkylakeX"
    }

    /// Re-executes the running program with `OPENBLAS_CORETYPE` set to `preferredCoreType`, when
    /// there is one and the variable is not set already (so it happens at most once, and a user's
    /// own setting wins). Call it first thing in `main`, before any output; it returns only when
    /// no relaunch happened (or `execv` failed, in which case the current kernels stay).
    public static func relaunchWithPreferredCore() {
        #if os(Linux)
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil, let core = preferredCoreType else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        #endif
    }
}
