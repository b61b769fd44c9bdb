// One transformer block (TL's TransformerBlock): norm, attention, residual add, norm, MLP, residual add.
import Tensor

extension HookedTransformer {
    /// Block `l` on `resid [batch, pos, d_model]`; `positions` is the shortformer positional
    /// embedding added to the query and key inputs after ln1 (nil for standard models).
    ///
    /// With `lastQueryOnly` the block returns `[batch, 1, d_model]`: the residual stream at the last
    /// position only (all a last-token readout needs from the final block).
    func block(_ l: Int, _ resid: Tensor, positions: Tensor?, prefix: KeyValuePrefix? = nil, lastQueryOnly: Bool = false,
               _ pass: inout ForwardPass) throws -> Tensor {
        let p = layers[l], at = blockPoints[l]
        var residPre = resid                                                        // [b, p, d]
        try pass.emit(at.residPre, &residPre)
        let attnIn = try normalize(residPre, weight: p.ln1w, bias: p.ln1b,
                                   scalePoint: at.ln1Scale, normalizedPoint: at.ln1Normalized, &pass)
        var attnOut = try attention(l, input: attnIn, positions: positions, prefix: prefix,
                                    lastQueryOnly: lastQueryOnly, &pass)           // [b, q, d]
        try pass.emit(at.attnOut, &attnOut)
        let pos = residPre.shape[1]
        let residQ = lastQueryOnly ? residPre.sliced(axis: 1, (pos - 1)..<pos) : residPre   // [b, q, d]
        if config.attnOnly {
            var residPost = residQ + attnOut                                        // [b, q, d]
            try pass.emit(at.residPost, &residPost)
            return residPost
        }
        var residMid = residQ + attnOut                                             // [b, q, d]
        try pass.emit(at.residMid, &residMid)
        let mlpIn = try normalize(residMid, weight: p.ln2w, bias: p.ln2b,
                                  scalePoint: at.ln2Scale, normalizedPoint: at.ln2Normalized, &pass)
        var mlpOut = try mlp(l, mlpIn, &pass)                                      // [b, q, d]
        try pass.emit(at.mlpOut, &mlpOut)
        var residPost = residMid + mlpOut                                           // [b, q, d]
        try pass.emit(at.residPost, &residPost)
        return residPost
    }

    /// The points of the final block that a last-query-only block computes on the last row only;
    /// the shortcut is taken only when none of them (nor the final norm's) is observed.
    func rowSubsetPoints(layer l: Int) -> [Int] {
        let at = blockPoints[l]
        return [at.q, at.attnScores, at.pattern, at.z, at.attnOut, at.residMid, at.ln2Scale, at.ln2Normalized,
                at.mlpPre, at.mlpPost, at.mlpOut, at.residPost,
                hookTable.index(.lnFinalScale, layer: 0), hookTable.index(.lnFinalNormalized, layer: 0)]
    }
}
