// Multi-head causal self-attention, TransformerLens's computation and hook points.
import Tensor

extension HookedTransformer {
    /// Attention of block `l` on `input [batch, pos, d_model]` (the ln1 output); returns
    /// `attn_out [batch, pos, d_model]`, before `hook_attn_out`.
    ///
    /// `positions` (shortformer models) is added to the query and key inputs, as TL adds it after
    /// ln1: `[pos, d_model]`, or `[batch, pos, d_model]` when a hook has seen it. With
    /// `lastQueryOnly`, queries (and so the output) cover the last position only: keys and values
    /// still cover every position, so the last row is exactly that of the full computation.
    /// With a `prefix`, keys and values of earlier positions are joined in front of the new ones.
    func attention(_ l: Int, input: Tensor, positions: Tensor?, prefix: KeyValuePrefix?, lastQueryOnly: Bool,
                   _ pass: inout ForwardPass) throws -> Tensor {
        let p = layers[l], at = blockPoints[l], c = config
        let batch = input.shape[0], pos = input.shape[1]
        let queryInput = lastQueryOnly ? input.sliced(axis: 1, (pos - 1)..<pos) : input          // [b, q, d]
        let queryPositions = lastQueryOnly ? positions.map { $0.sliced(axis: $0.rank - 2, (pos - 1)..<pos) } : positions
        let queries = queryInput.shape[1]
        var q = project(queryInput, positions: queryPositions, weight: p.wQ, bias: p.bQ)
            .reshapedUnchecked([batch, queries, c.nHeads, c.dHead])                               // [b, q, head, d_head]
        try pass.emit(at.q, &q)
        var k = project(input, positions: positions, weight: p.wK, bias: p.bK)
            .reshapedUnchecked([batch, pos, c.nHeads, c.dHead])                                   // [b, p, head, d_head]
        try pass.emit(at.k, &k)
        var v = input.linear(weight: p.wV, bias: p.bV).reshapedUnchecked([batch, pos, c.nHeads, c.dHead])  // [b, p, head, d_head]
        try pass.emit(at.v, &v)
        var keys = k, values = v                                                                 // [b, prefix + p, head, d_head]
        if let prefix, prefix.length > 0 {
            keys = Tensor.concatenate([(prefix.keys[l], 0..<prefix.length), (k, 0..<pos)], axis: 1)
            values = Tensor.concatenate([(prefix.values[l], 0..<prefix.length), (v, 0..<pos)], axis: 1)
        }
        // The -∞ mask is written only when someone looks at the scores; the pattern skips masked keys.
        var scores = Tensor.attentionScores(q: q, k: keys, scale: attentionScale,
                                            causal: pass.observes(at.attnScores))                // [b, head, q, k]
        try pass.emit(at.attnScores, &scores)
        // Causal rows are skipped past the diagonal unless a hook may have edited the masked scores.
        var pattern = Tensor.attentionPattern(scores, causal: !pass.hooks(at.attnScores))       // [b, head, q, k]
        try pass.emit(at.pattern, &pattern)
        var z = Tensor.attentionMix(pattern: pattern, v: values)                                 // [b, q, head, d_head]
        try pass.emit(at.z, &z)
        return z.reshapedUnchecked([batch, queries, c.nHeads * c.dHead]).linear(weight: p.wO, bias: p.bO)  // [b, q, d]
    }

    /// `(x + positions)·W + b` for `x [batch, pos, d_model]`. Positions shared by the batch
    /// (`[pos, d_model]`) are folded into a per-position bias `positions·W + b`, which saves an
    /// addition over the whole batch; per-sequence positions are added first.
    private func project(_ x: Tensor, positions: Tensor?, weight: Tensor, bias: Tensor) -> Tensor {
        guard let positions else { return x.linear(weight: weight, bias: bias) }
        if positions.rank == 2 && x.shape[0] > 1 {
            return x.linear(weight: weight, bias: positions.linear(weight: weight, bias: bias))    // [b, p, out]
        }
        return (x + positions).linear(weight: weight, bias: bias)
    }

    /// 1/√d_head, TL's default attention scale.
    var attentionScale: Float { 1 / Float(config.dHead).squareRoot() }
}
