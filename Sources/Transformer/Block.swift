// One transformer block (TL's TransformerBlock): norm, attention, residual add, norm, MLP, residual add.
import Tensor

/// A block with its hook points (`hook_resid_pre`, `hook_attn_out`, `hook_resid_mid`,
/// `hook_mlp_out`, `hook_resid_post`, and those of its norms, attention and MLP).
struct Block {
    let ln1: LayerNorm
    let attention: Attention
    let ln2: LayerNorm?
    let mlp: MLP?
    let at: BlockPointIndices

    init(_ parameters: ParameterSource, layer l: Int, config c: ModelConfig, points: BlockPointIndices) throws(ModelError) {
        let p = "blocks.\(l)."
        ln1 = try LayerNorm(parameters, prefix: p + "ln1.", config: c, scalePoint: points.ln1Scale, normalizedPoint: points.ln1Normalized)
        attention = try Attention(parameters, layer: l, config: c, points: points)
        if c.attnOnly {
            ln2 = nil
            mlp = nil
        } else {
            ln2 = try LayerNorm(parameters, prefix: p + "ln2.", config: c, scalePoint: points.ln2Scale, normalizedPoint: points.ln2Normalized)
            mlp = try MLP(parameters, layer: l, config: c, points: points)
        }
        at = points
    }

    /// The block on `resid [batch, pos, d_model]`; `positions` is the shortformer positional
    /// embedding added to the query and key inputs after ln1 (nil for standard models).
    ///
    /// With `lastQueryOnly` the block returns `[batch, 1, d_model]`: the residual stream at the last
    /// position only (all a last-token readout needs from the final block).
    func callAsFunction(_ resid: Variable, positions: Variable?, prefix: KeyValuePrefix?, lastQueryOnly: Bool,
                        _ pass: inout ForwardPass) throws -> Variable {
        var residPre = resid                                                        // [b, p, d]
        try pass.emit(at.residPre, &residPre)
        let attnIn = try ln1(residPre, &pass)
        var attnOut = try attention(attnIn, positions: positions, prefix: prefix, lastQueryOnly: lastQueryOnly, &pass)  // [b, q, d]
        try pass.emit(at.attnOut, &attnOut)
        let pos = residPre.shape[1]
        let residQ = lastQueryOnly ? residPre.sliced(axis: 1, (pos - 1)..<pos) : residPre   // [b, q, d]
        guard let ln2, let mlp else {
            var residPost = residQ + attnOut                                        // [b, q, d]
            try pass.emit(at.residPost, &residPost)
            return residPost
        }
        var residMid = residQ + attnOut                                             // [b, q, d]
        try pass.emit(at.residMid, &residMid)
        var mlpOut = try mlp(try ln2(residMid, &pass), &pass)                      // [b, q, d]
        try pass.emit(at.mlpOut, &mlpOut)
        var residPost = residMid + mlpOut                                           // [b, q, d]
        try pass.emit(at.residPost, &residPost)
        return residPost
    }

    /// The points a last-query-only block computes on the last row only; the shortcut is taken only
    /// when none of them (nor the final norm's) is observed.
    var rowSubsetPoints: [Int] {
        [at.q, at.attnScores, at.pattern, at.z, at.attnOut, at.residMid, at.ln2Scale, at.ln2Normalized,
         at.mlpPre, at.mlpPost, at.mlpOut, at.residPost]
    }
}
