// Differentiable attention ops and softmaxes, paired with the kernels in Backward/.

extension Variable {
    /// Attention scores `[batch, head, q, k]` from `q`, `k` `[batch, pos, head, d_head]`, with keys after
    /// their query set to -∞ when `causal` (see `Tensor.attentionScores`).
    public static func attentionScores(q: Variable, k: Variable, scale: Float, causal: Bool) -> Variable {
        precondition(q.tape === k.tape, "attentionScores: variables belong to different tapes")
        let (qv, kv) = (q.value, k.value)
        let out = Tensor.attentionScores(q: qv, k: kv, scale: scale, causal: causal)
        return q.tape.record(out, inputs: [q, k]) { t, g in
            // Masked entries are constants: their gradient is dropped.
            let dS = causal ? g.causallyMaskedGradient(keyOffset: kv.shape[1] - qv.shape[1]) : g
            let (dq, dk) = Tensor.attentionScoresBackward(dScores: dS, q: qv, k: kv, scale: scale)
            t.accumulate(q.id, dq)
            t.accumulate(k.id, dk)
        }
    }

    /// The attention pattern from scores (see `Tensor.attentionPattern`): softmax over keys.
    public static func attentionPattern(_ scores: Variable, causal: Bool) -> Variable {
        let y = Tensor.attentionPattern(scores.value, causal: causal)
        return scores.tape.record(y, inputs: [scores]) { t, g in
            t.accumulate(scores.id, Tensor.softmaxBackward(dy: g, y: y))
        }
    }

    /// `z [batch, q, head, d_head]` from `pattern [batch, head, q, k]` and `v [batch, k, head, d_head]`.
    public static func attentionMix(pattern: Variable, v: Variable) -> Variable {
        precondition(pattern.tape === v.tape, "attentionMix: variables belong to different tapes")
        let (p, vv) = (pattern.value, v.value)
        return pattern.tape.record(Tensor.attentionMix(pattern: p, v: vv), inputs: [pattern, v]) { t, g in
            let (dP, dv) = Tensor.attentionMixBackward(dz: g, pattern: p, v: vv)
            t.accumulate(pattern.id, dP)
            t.accumulate(v.id, dv)
        }
    }

    /// Softmax along the last axis.
    public func softmax() -> Variable {
        let y = value.softmax()
        return tape.record(y, inputs: [self]) { [id] t, g in t.accumulate(id, Tensor.softmaxBackward(dy: g, y: y)) }
    }

    /// Log-softmax along the last axis.
    public func logSoftmax() -> Variable {
        let y = value.logSoftmax()
        return tape.record(y, inputs: [self]) { [id] t, g in t.accumulate(id, Tensor.logSoftmaxBackward(dy: g, y: y)) }
    }
}

extension Tensor {
    /// A copy with entries of keys after their query set to 0 (gradients of masked scores).
    func causallyMaskedGradient(keyOffset: Int) -> Tensor {
        var copy = self
        let q = shape[rank - 2], k = shape[rank - 1]
        guard q > 0, k > 0 else { return copy }
        copy.withUnsafeMutableBufferPointer { p in
            for mat in 0..<(count / (q * k)) {
                for i in 0..<q {
                    let first = Swift.max(0, i + keyOffset + 1)
                    if first < k { for j in first..<k { p[mat * q * k + i * k + j] = 0 } }
                }
            }
        }
        return copy
    }
}
