// The differentiable forward: the model's computation on a Tape, with the same op kernels as
// the inference forward (ForwardPass / Block / Attention / MLP) and the same TL hook names.
import Tensor

/// A hook of the differentiable forward: receives each activation by TL hook name and returns it
/// or a replacement (same shape), e.g. to keep the variable for its gradient or to scale it.
public typealias TapeHook = (_ name: String, _ activation: Variable) -> Variable

extension HookedTransformer {
    /// The parameters as tracked leaves of `tape`, by TL name.
    public func parameterVariables(on tape: Tape) -> [String: Variable] {
        var out: [String: Variable] = [:]
        for name in weights.names {
            if let t = weights[name] { out[name] = tape.variable(t) }
        }
        return out
    }

    /// Logits `[batch, pos, d_vocab_out]` as a variable of `tape`, computed from `parameters` (TL names,
    /// as `parameterVariables(on:)` makes; constants work too, for gradients of inputs only).
    ///
    /// `hook` sees every activation under its TL name (`hook_embed`, `blocks.0.attn.hook_pattern`, …)
    /// and may replace it; `hook_pos_embed` is `[pos, d_model]` here (shared by the batch), and the
    /// LayerNorm scale is not a separate point (it is differentiated through `hook_normalized`).
    /// - Throws: `ModelError` for an empty or ragged batch, too many positions, ids outside the
    ///   vocabulary, or a missing parameter.
    public func logits(_ tokens: [[Int]], on tape: Tape, parameters: [String: Variable],
                       hook: TapeHook? = nil) throws(ModelError) -> Variable {
        let c = config
        let (batch, pos) = try validate(tokens)
        func p(_ name: String) throws(ModelError) -> Variable {
            guard let v = parameters[name] else { throw ModelError("differentiable forward: missing parameter '\(name)'") }
            return v
        }
        func emit(_ name: String, _ v: Variable) -> Variable { hook.map { $0(name, v) } ?? v }

        let embed = emit("hook_embed", try p("embed.W_E").embed(tokens))                    // [b, p, d]
        let posEmbed = emit("hook_pos_embed", try p("pos_embed.W_pos").sliced(axis: 0, 0..<pos))  // [p, d]
        var resid = c.positionalEmbeddingType == .standard ? embed + posEmbed : embed       // [b, p, d]
        let positions: Variable? = c.positionalEmbeddingType == .shortformer ? posEmbed : nil
        let hd = c.nHeads * c.dHead
        for l in 0..<c.nLayers {
            let b = "blocks.\(l)."
            resid = emit(b + "hook_resid_pre", resid)
            let attnIn = try norm(resid, weight: parameters[b + "ln1.w"], bias: parameters[b + "ln1.b"],
                                  point: b + "ln1.hook_normalized", emit)                   // [b, p, d]
            let qkIn = positions.map { attnIn + $0 } ?? attnIn                             // [b, p, d]
            func heads(_ name: String) throws(ModelError) -> Variable {                    // [d, head·d_head]
                try p(b + name).permuted([1, 0, 2]).reshaped([c.dModel, hd])
            }
            let q = emit(b + "attn.hook_q", qkIn.linear(weight: try heads("attn.W_Q"), bias: try p(b + "attn.b_Q").reshaped([hd]))
                .reshaped([batch, pos, c.nHeads, c.dHead]))                                 // [b, p, head, d_head]
            let k = emit(b + "attn.hook_k", qkIn.linear(weight: try heads("attn.W_K"), bias: try p(b + "attn.b_K").reshaped([hd]))
                .reshaped([batch, pos, c.nHeads, c.dHead]))                                 // [b, p, head, d_head]
            let v = emit(b + "attn.hook_v", attnIn.linear(weight: try heads("attn.W_V"), bias: try p(b + "attn.b_V").reshaped([hd]))
                .reshaped([batch, pos, c.nHeads, c.dHead]))                                 // [b, p, head, d_head]
            let scores = emit(b + "attn.hook_attn_scores",
                              Variable.attentionScores(q: q, k: k, scale: attentionScale, causal: true))  // [b, head, q, k]
            let pattern = emit(b + "attn.hook_pattern", Variable.attentionPattern(scores, causal: true))  // [b, head, q, k]
            let z = emit(b + "attn.hook_z", Variable.attentionMix(pattern: pattern, v: v))     // [b, p, head, d_head]
            let attnOut = emit(b + "hook_attn_out", z.reshaped([batch, pos, hd])
                .linear(weight: try p(b + "attn.W_O").reshaped([hd, c.dModel]), bias: try p(b + "attn.b_O")))  // [b, p, d]
            if c.attnOnly {
                resid = emit(b + "hook_resid_post", resid + attnOut)
                continue
            }
            let mid = emit(b + "hook_resid_mid", resid + attnOut)                            // [b, p, d]
            let mlpIn = try norm(mid, weight: parameters[b + "ln2.w"], bias: parameters[b + "ln2.b"],
                                 point: b + "ln2.hook_normalized", emit)
            let pre = emit(b + "mlp.hook_pre", mlpIn.linear(weight: try p(b + "mlp.W_in"), bias: try p(b + "mlp.b_in")))  // [b, p, d_mlp]
            let act: Variable
            switch c.actFn ?? .geluNew {
            case .geluNew: act = pre.geluNew()
            case .gelu: act = pre.gelu()
            case .relu: act = pre.relu()
            }
            let post = emit(b + "mlp.hook_post", act)
            let mlpOut = emit(b + "hook_mlp_out", post.linear(weight: try p(b + "mlp.W_out"), bias: try p(b + "mlp.b_out")))  // [b, p, d]
            resid = emit(b + "hook_resid_post", mid + mlpOut)
        }
        let final = try norm(resid, weight: parameters["ln_final.w"], bias: parameters["ln_final.b"],
                             point: "ln_final.hook_normalized", emit)
        return final.linear(weight: try p("unembed.W_U"), bias: try p("unembed.b_U"))         // [b, p, d_vocab_out]
    }

    /// LayerNorm / LayerNormPre as the config says (identity without normalization).
    private func norm(_ x: Variable, weight: Variable?, bias: Variable?, point: String,
                      _ emit: (String, Variable) -> Variable) throws(ModelError) -> Variable {
        guard let kind = config.normalizationType else { return x }
        let normalized = emit(point, x.layerNorm(eps: Float(config.eps)))
        switch kind {
        case .lnPre: return normalized
        case .ln:
            guard let weight, let bias else { throw ModelError("differentiable forward: missing LayerNorm parameters for \(point)") }
            return normalized.affine(weight: weight, bias: bias)
        }
    }

    /// Mean next-token cross-entropy: the loss at position `i` predicts `tokens[i + 1]`; `mask`
    /// (same shape as `tokens`) keeps only targets where it is true.
    public static func nextTokenTargets(_ tokens: [[Int]], mask: [[Bool]]? = nil) -> [Int] {
        var targets: [Int] = []
        for (b, seq) in tokens.enumerated() {
            for i in seq.indices {
                let keep = i + 1 < seq.count && (mask.map { b < $0.count && i + 1 < $0[b].count && $0[b][i + 1] } ?? true)
                targets.append(keep ? seq[i + 1] : -1)
            }
        }
        return targets
    }
}
