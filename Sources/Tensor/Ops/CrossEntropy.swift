// Cross-entropy of logits against target ids: kernel, backward and differentiable form.
import Foundation

extension Tensor {
    /// Mean over rows with a target of `−log softmax(logits)[target]`; `logits [..., vocab]` has one
    /// row per entry of `targets`, and a target of -1 skips its row. Accumulated in Double.
    /// Returns 0 when no row has a target.
    /// - Precondition: one target per row, each -1 or in `0..<vocab`.
    public func crossEntropy(targets: [Int]) -> Float {
        let (n, rows) = crossEntropyRows(targets)
        var total = 0.0, counted = 0
        withUnsafeBufferPointer { src in
            guard let s = src.baseAddress else { return }
            for r in 0..<rows where targets[r] >= 0 {
                let x = s + r * n
                total += Double(Tensor.logSumExp(x, n) - x[targets[r]])
                counted += 1
            }
        }
        return counted == 0 ? 0 : Float(total / Double(counted))
    }

    /// Gradient of `crossEntropy(targets:)` times `seed`: `(softmax − onehot) · seed / rows counted`
    /// on rows with a target, 0 elsewhere.
    public func crossEntropyBackward(targets: [Int], seed: Float = 1) -> Tensor {
        let (n, rows) = crossEntropyRows(targets)
        let counted = targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        let factor = counted == 0 ? 0 : seed / Float(counted)
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: shape) { out in
                guard let s = src.baseAddress, let o = out.baseAddress else { return }
                for r in 0..<rows {
                    let t = targets[r]
                    if t < 0 {
                        (o + r * n).update(repeating: 0, count: n)
                        continue
                    }
                    Tensor.softmaxRow(s + r * n, o + r * n, n, valid: n, zeroNaNRows: true)
                    for j in 0..<n { o[r * n + j] *= factor }
                    o[r * n + t] -= factor
                }
            }
        }
    }

    private func crossEntropyRows(_ targets: [Int]) -> (vocab: Int, rows: Int) {
        precondition(rank >= 1, "crossEntropy: needs rank ≥ 1")
        let n = shape[rank - 1]
        let rows = n == 0 ? 0 : count / n
        precondition(targets.count == rows, "crossEntropy: \(targets.count) targets for \(rows) rows")
        precondition(targets.allSatisfy { $0 >= -1 && $0 < n }, "crossEntropy: a target is outside -1..<\(n)")
        return (n, rows)
    }
}

// MARK: - Differentiable form

extension Variable {
    /// Mean cross-entropy of these logits `[..., vocab]` against one target per row (-1 skips a row),
    /// a scalar (see `Tensor.crossEntropy(targets:)`).
    public func crossEntropy(targets: [Int]) -> Variable {
        let x = value
        return Variable.unary(Tensor(x.crossEntropy(targets: targets)), self) {
            x.crossEntropyBackward(targets: targets, seed: $0.item)
        }
    }
}
