// Softmax and log-softmax along the last axis (numerically stable, safe for -∞ entries): kernels,
// backward kernels (the softmax one also serves the attention pattern), differentiable forms.
import Foundation

extension Tensor {
    /// Softmax along the last axis.
    ///
    /// Subtracts the row maximum before exponentiating. Entries of -∞ get probability 0; a row that
    /// is entirely -∞ (fully masked) becomes all zeros, as TransformerLens does (it replaces the NaN
    /// of such rows with 0).
    /// - Precondition: rank ≥ 1.
    public func softmax() -> Tensor {
        precondition(rank >= 1, "softmax: needs rank ≥ 1")
        let n = shape[rank - 1]
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: shape) { out in
                guard n > 0, let s = src.baseAddress, let o = out.baseAddress else { return }
                for row in 0..<(out.count / n) {
                    Tensor.softmaxRow(s + row * n, o + row * n, n, valid: n, zeroNaNRows: false)
                }
            }
        }
    }

    /// One softmax row over the first `valid` of `n` entries (the rest are written as 0):
    /// `y[j] = e^(x[j] - max) / Σ e^(x[i] - max)`. A row whose valid entries are all -∞ becomes zeros.
    /// A NaN (or +∞) entry makes the row NaN, or zeros when `zeroNaNRows` (TransformerLens's pattern).
    @inline(__always)
    static func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                           valid: Int, zeroNaNRows: Bool) {
        var m = -Float.infinity
        for j in 0..<valid where x[j] > m { m = x[j] }
        if m == -.infinity {
            // Fully masked row (`>` skips NaN, so look for one explicitly).
            var hasNaN = false
            for j in 0..<valid where x[j].isNaN { hasNaN = true }
            y.update(repeating: hasNaN && !zeroNaNRows ? .nan : 0, count: n)
            return
        }
        // Separate simple loops: the compiler vectorises the exp loop and the scaling loop.
        for j in 0..<valid { y[j] = fastExp(x[j] - m) }
        var sum: Float = 0
        for j in 0..<valid { sum += y[j] }
        if zeroNaNRows && !sum.isFinite {
            y.update(repeating: 0, count: n)
            return
        }
        let inv = 1 / sum
        for j in 0..<valid { y[j] *= inv }
        if valid < n { (y + valid).update(repeating: 0, count: n - valid) }
    }

    /// `log Σ e^x[j]` over `n` entries, as `max + log Σ e^(x[j] − max)` (stable for large values);
    /// -∞ when every entry is -∞. The one log-sum-exp of the engine (log-softmax, cross-entropy).
    @inline(__always)
    static func logSumExp(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var m = -Float.infinity
        for j in 0..<n where x[j] > m { m = x[j] }
        if m == -.infinity { return -.infinity }
        var sum: Float = 0
        for j in 0..<n { sum += fastExp(x[j] - m) }
        return m + Foundation.log(sum)
    }

    /// Log-softmax along the last axis: `x - max - log Σ e^(x - max)`.
    /// A row that is entirely -∞ stays -∞.
    /// - Precondition: rank ≥ 1.
    public func logSoftmax() -> Tensor {
        precondition(rank >= 1, "logSoftmax: needs rank ≥ 1")
        let n = shape[rank - 1]
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: shape) { out in
                guard n > 0, let s = src.baseAddress, let o = out.baseAddress else { return }
                for row in 0..<(out.count / n) {
                    let x = s + row * n, y = o + row * n
                    let shift = Tensor.logSumExp(x, n)
                    if shift == -.infinity {
                        for j in 0..<n { y[j] = x[j].isNaN ? .nan : -.infinity }
                        continue
                    }
                    for j in 0..<n { y[j] = x[j] - shift }
                }
            }
        }
    }

    // MARK: Backward

    /// Gradient of a softmax along the last axis from its output `y`: `dx = y ⊙ (dy − Σ dy ⊙ y)`.
    /// Entries where `y` is 0 (masked keys, fully masked rows) get 0. Serves `softmax` and `attentionPattern`.
    public static func softmaxBackward(dy: Tensor, y: Tensor) -> Tensor {
        precondition(dy.shape == y.shape && y.rank >= 1, "softmaxBackward: shapes \(dy.shape) and \(y.shape) differ")
        let n = y.shape[y.rank - 1]
        return dy.withUnsafeBufferPointer { g in
            y.withUnsafeBufferPointer { p in
                make(shape: y.shape) { out in
                    guard n > 0 else { return }
                    for r in 0..<(out.count / n) {
                        let base = r * n
                        var dot: Float = 0
                        for j in 0..<n { dot += g[base + j] * p[base + j] }
                        for j in 0..<n { out[base + j] = p[base + j] * (g[base + j] - dot) }
                    }
                }
            }
        }
    }

    /// Gradient of a log-softmax along the last axis from its output `y`: `dx = dy − e^y · Σ dy`.
    /// Rows that were entirely -∞ (y all -∞) get 0.
    public static func logSoftmaxBackward(dy: Tensor, y: Tensor) -> Tensor {
        precondition(dy.shape == y.shape && y.rank >= 1, "logSoftmaxBackward: shapes \(dy.shape) and \(y.shape) differ")
        let n = y.shape[y.rank - 1]
        return dy.withUnsafeBufferPointer { g in
            y.withUnsafeBufferPointer { p in
                make(shape: y.shape) { out in
                    guard n > 0 else { return }
                    for r in 0..<(out.count / n) {
                        let base = r * n
                        var total: Float = 0
                        for j in 0..<n { total += g[base + j] }
                        for j in 0..<n {
                            let e = fastExp(p[base + j])
                            out[base + j] = p[base + j] == -.infinity ? 0 : g[base + j] - e * total
                        }
                    }
                }
            }
        }
    }
}

// MARK: - Differentiable forms

extension Variable {
    /// Softmax along the last axis.
    public func softmax() -> Variable {
        let y = value.softmax()
        return Variable.unary(y, self) { Tensor.softmaxBackward(dy: $0, y: y) }
    }

    /// Log-softmax along the last axis.
    public func logSoftmax() -> Variable {
        let y = value.logSoftmax()
        return Variable.unary(y, self) { Tensor.logSoftmaxBackward(dy: $0, y: y) }
    }
}
