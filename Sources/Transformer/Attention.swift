// Multi-head causal self-attention (TL's Attention): projections, scores, pattern, mix, output,
// with TL's hook points.
import Tensor

/// One block's attention. The Q/K/V projections are one sgemm each over every head
/// (`[d_model, head·d_head]`); scores, pattern and mix read TL's `[batch, pos, head, d_head]` layout in place.
struct Attention {
    let wQ: Variable, wK: Variable, wV: Variable       // [d_model, head·d_head]
    let bQ: Variable, bK: Variable, bV: Variable       // [head·d_head]
    let wO: Variable                                    // [head·d_head, d_model]
    let bO: Variable                                    // [d_model]
    let nHeads: Int, dHead: Int, layer: Int
    let at: BlockPointIndices

    init(_ parameters: ParameterSource, layer l: Int, config c: ModelConfig, points: BlockPointIndices) throws(ModelError) {
        (wQ, wK, wV, bQ, bK, bV, wO) = try parameters.attention(layer: l, config: c)
        bO = try parameters.required("blocks.\(l).attn.b_O")
        nHeads = c.nHeads
        dHead = c.dHead
        layer = l
        at = points
    }

    /// 1/√d_head, TL's default attention scale.
    var scale: Float { 1 / Float(dHead).squareRoot() }

    /// `attn_out [batch, queries, d_model]` (before `hook_attn_out`) from the ln1 output
    /// `input [batch, pos, d_model]`.
    ///
    /// `positions` (shortformer models) is added to the query and key inputs, as TL adds it after
    /// ln1: `[pos, d_model]`, or `[batch, pos, d_model]` when a hook has seen it. With
    /// `lastQueryOnly`, queries (and so the output) cover the last position only: keys and values
    /// still cover every position, so the last row is that of the full computation. With a `prefix`,
    /// keys and values of earlier positions are joined in front of the new ones.
    func callAsFunction(_ input: Variable, positions: Variable?, prefix: KeyValuePrefix?, lastQueryOnly: Bool,
                        _ pass: inout ForwardPass) throws -> Variable {
        let batch = input.shape[0], pos = input.shape[1]
        let qkInput = positions.map { input + $0 } ?? input                                    // [b, p, d]
        let queryInput = lastQueryOnly ? qkInput.sliced(axis: 1, (pos - 1)..<pos) : qkInput    // [b, q, d]
        let queries = queryInput.shape[1]
        var q = queryInput.linear(weight: wQ, bias: bQ).reshaped([batch, queries, nHeads, dHead])  // [b, q, head, d_head]
        try pass.emit(at.q, &q)
        var k = qkInput.linear(weight: wK, bias: bK).reshaped([batch, pos, nHeads, dHead])         // [b, p, head, d_head]
        try pass.emit(at.k, &k)
        var v = input.linear(weight: wV, bias: bV).reshaped([batch, pos, nHeads, dHead])           // [b, p, head, d_head]
        try pass.emit(at.v, &v)
        var keys = k, values = v                                                               // [b, prefix + p, head, d_head]
        if let prefix, prefix.length > 0 {
            keys = Attention.joined(prefix.keys[layer], k, prefixLength: prefix.length)
            values = Attention.joined(prefix.values[layer], v, prefixLength: prefix.length)
        }
        // The -∞ mask is written only when someone looks at the scores or differentiates through
        // them; the pattern skips masked keys either way.
        var scores = Variable.attentionScores(q: q, k: keys, scale: scale,
                                              causal: pass.observes(at.attnScores) || q.requiresGrad || keys.requiresGrad)
        try pass.emit(at.attnScores, &scores)                                                  // [b, head, q, k]
        // Causal rows are skipped past the diagonal unless a hook may have edited the masked scores.
        var pattern = Variable.attentionPattern(scores, causal: !pass.hooks(at.attnScores))   // [b, head, q, k]
        try pass.emit(at.pattern, &pattern)
        var z = Variable.attentionMix(pattern: pattern, v: values)                             // [b, q, head, d_head]
        try pass.emit(at.z, &z)
        return z.reshaped([batch, queries, nHeads * dHead]).linear(weight: wO, bias: bO)      // [b, q, d]
    }

    /// The first `prefixLength` cached positions followed by the new ones, along the position axis
    /// (one copy); the gradient reaches the new positions only.
    private static func joined(_ cached: Tensor, _ new: Variable, prefixLength: Int) -> Variable {
        let pos = new.shape[1]
        let out = Tensor.concatenate([(cached, 0..<prefixLength), (new.value, 0..<pos)], axis: 1)
        return Variable.unary(out, new) { $0.sliced(axis: 1, prefixLength..<(prefixLength + pos)) }
    }
}
