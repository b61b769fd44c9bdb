// Backward kernels of softmax, log-softmax and the attention pattern (Softmax.swift, AttentionOps.swift).

extension Tensor {
    /// Gradient of a softmax along the last axis from its output `y`: `dx = y ⊙ (dy − Σ dy ⊙ y)`.
    /// Entries where `y` is 0 (masked keys, fully masked rows) get 0. Serves `softmax` and `attentionPattern`.
    public static func softmaxBackward(dy: Tensor, y: Tensor) -> Tensor {
        precondition(dy.shape == y.shape && y.rank >= 1, "softmaxBackward: shapes \(dy.shape) and \(y.shape) differ")
        let n = y.shape[y.rank - 1]
        return dy.scalars.withUnsafeBufferPointer { g in
            y.scalars.withUnsafeBufferPointer { p in
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
        return dy.scalars.withUnsafeBufferPointer { g in
            y.scalars.withUnsafeBufferPointer { p in
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
