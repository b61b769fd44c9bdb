// The result of direct logit attribution: what each component of the residual stream writes.
import Tensor

/// Direct logit attribution at one position (`LogitAttribution.analyse`): each component's direct
/// contribution to the logit (difference), averaged over the batch. The components plus `constant`
/// add up to `logitDiff`.
public struct DirectLogitAttribution: AnalysisOutput, Equatable {
    public var model: String
    /// The position read (the last one).
    public var position: Int
    /// `hook_embed`.
    public var embed: Float
    /// `hook_pos_embed`; nil for shortformer models (positions do not enter the residual stream).
    public var posEmbed: Float?
    /// Each head's output `z · W_O[h]`, `[layer, head]`.
    public var heads: Tensor
    /// Each layer's `hook_mlp_out`; nil for attention-only models.
    public var mlps: [Float]?
    /// The summed attention output biases `b_O` of every layer.
    public var bias: Float
    /// The terms no component carries: `ln_final.b` and `b_U`.
    public var constant: Float
    /// The model's mean logit difference (or logit of the answer) at `position`.
    public var logitDiff: Float

    /// The components in order — `embed`, `pos_embed`, `L{l}H{h}` for every head, `mlp{l}`, `bias` —
    /// with their values.
    public var components: [(label: String, value: Float)] {
        var out: [(String, Float)] = [("embed", embed)]
        if let posEmbed { out.append(("pos_embed", posEmbed)) }
        let (layers, perLayer) = (heads.shape[0], heads.shape[1])
        for l in 0..<layers { for h in 0..<perLayer { out.append((HeadIndex(l, h).label, heads[l, h])) } }
        for (l, v) in (mlps ?? []).enumerated() { out.append(("mlp\(l)", v)) }
        out.append(("bias", bias))
        return out
    }

    /// The sum of every component (`logitDiff − constant`, up to rounding).
    public var componentSum: Float { components.reduce(0) { $0 + $1.value } }

    /// Public form: kind `"dla"`, values per component, with `logit_diff`, `constant`, `heads`
    /// (`[layer][head]`) and `position`.
    public var publicForm: AnalysisResult {
        let parts = components
        return AnalysisResult(kind: "dla", model: model, axes: ["component"], values: Tensor(parts.map(\.value)),
                              labels: ["component": parts.map(\.label)],
                              extra: ["logit_diff": .number(Double(logitDiff)), "constant": .number(Double(constant)),
                                      "heads": .array(LabelledMatrix.rows(of: heads).map { .numbers($0) }),
                                      "position": .number(Double(position))])
    }
}
