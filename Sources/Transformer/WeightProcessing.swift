// WeightProcessing: TransformerLens's from_pretrained weight processing — fold_ln,
// center_writing_weights, center_unembed, fold_value_biases — on TL-named weights.
import Foundation
import Tensor

/// Which of TransformerLens's weight simplifications to apply (`HookedTransformer.from_pretrained`
/// applies all four by default; `from_pretrained_no_processing` none). None changes a
/// log-probability: fold_ln moves each LayerNorm's weight and bias into the layer that reads it
/// (the norms become LNPre), centering removes what LayerNorm or softmax would remove anyway, and
/// value biases, constant after attention, move into the output bias.
public struct WeightProcessing: Sendable, Equatable, Codable {
    /// Fold each LayerNorm's weight and bias into W_Q/W_K/W_V, W_in and W_U (and centre those along
    /// d_model); the norms become LNPre.
    public var foldLN: Bool
    /// Subtract the mean over d_model from every weight writing to the residual stream (W_E, W_pos,
    /// W_O, b_O, W_out, b_out).
    public var centerWritingWeights: Bool
    /// Subtract the mean over the vocabulary from W_U and b_U (logits shift, log-probs do not).
    public var centerUnembed: Bool
    /// Fold b_V through W_O into b_O and set b_V to zero.
    public var foldValueBiases: Bool

    enum CodingKeys: String, CodingKey {
        case foldLN = "fold_ln", centerWritingWeights = "center_writing_weights"
        case centerUnembed = "center_unembed", foldValueBiases = "fold_value_biases"
    }

    public init(foldLN: Bool = true, centerWritingWeights: Bool = true, centerUnembed: Bool = true,
                foldValueBiases: Bool = true) {
        self.foldLN = foldLN
        self.centerWritingWeights = centerWritingWeights
        self.centerUnembed = centerUnembed
        self.foldValueBiases = foldValueBiases
    }

    /// TransformerLens's defaults: all four on.
    public static let transformerLens = WeightProcessing()
    /// No processing (TL's `from_pretrained_no_processing`).
    public static let none = WeightProcessing(foldLN: false, centerWritingWeights: false, centerUnembed: false,
                                              foldValueBiases: false)

    /// The flags as compact JSON (the `processing` metadata of an imported model file).
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// `weights` processed in TransformerLens's order: fold_ln, center_writing_weights,
    /// center_unembed, fold_value_biases (then b_O re-centred, as TL 3.9 does). fold_ln applies to
    /// LN models only; centering the writing weights to models with LN or LNPre only.
    public func apply(to weights: ModelWeights) -> ModelWeights {
        var c = weights.config
        var t = weights.tensors
        let normalized = c.normalizationType == .ln || c.normalizationType == .lnPre
        if foldLN && c.normalizationType == .ln {
            WeightProcessing.foldLayerNorms(&t, c)
            c.normalizationType = .lnPre
        }
        if centerWritingWeights && normalized {
            WeightProcessing.centerWriting(&t, c)
        }
        if centerUnembed {
            t["unembed.W_U"] = t["unembed.W_U"].map { $0.subtractingMean(lastAxisOf: c.dVocabOut) }
            t["unembed.b_U"] = t["unembed.b_U"].map { $0.subtractingMean(lastAxisOf: c.dVocabOut) }
        }
        if foldValueBiases {
            for l in 0..<c.nLayers {
                let p = "blocks.\(l).attn."
                guard let bV = t[p + "b_V"], let wO = t[p + "W_O"], let bO = t[p + "b_O"] else { continue }
                var folded = bO.adding(vector: bV, times: wO)                            // b_O + Σ b_V W_O
                if centerWritingWeights && normalized { folded = folded.subtractingMean(lastAxisOf: c.dModel) }
                t[p + "b_O"] = folded
                t[p + "b_V"] = Tensor.zeros(bV.shape)
            }
        }
        // Folding only removes LayerNorm parameters and keeps every other name and shape.
        return (try? ModelWeights(config: c, tensors: t, source: "processing")) ?? weights
    }

    /// TL's fold_layer_norm with fold_biases and center_weights: ln1 into W_Q/W_K/W_V and b_Q/b_K/b_V,
    /// ln2 into W_in and b_in, ln_final into W_U and b_U; the LayerNorm parameters are dropped.
    static func foldLayerNorms(_ t: inout [String: Tensor], _ c: ModelConfig) {
        func fold(_ weight: String, _ bias: String, norm: String, outer: Int, inner: Int) {
            guard let w = t[weight], let b = t[bias], let lw = t[norm + "w"], let lb = t[norm + "b"] else { return }
            let (newW, newB) = w.foldingNorm(weight: lw, bias: lb, into: b, outer: outer, inner: inner)
            t[weight] = newW
            t[bias] = newB
        }
        for l in 0..<c.nLayers {
            let p = "blocks.\(l)."
            for x in ["Q", "K", "V"] {
                fold(p + "attn.W_" + x, p + "attn.b_" + x, norm: p + "ln1.", outer: c.nHeads, inner: c.dHead)
            }
            if !c.attnOnly, let dMLP = c.dMLP {
                fold(p + "mlp.W_in", p + "mlp.b_in", norm: p + "ln2.", outer: 1, inner: dMLP)
            }
            for n in ["ln1.w", "ln1.b", "ln2.w", "ln2.b"] { t[p + n] = nil }
        }
        fold("unembed.W_U", "unembed.b_U", norm: "ln_final.", outer: 1, inner: c.dVocabOut)
        t["ln_final.w"] = nil
        t["ln_final.b"] = nil
    }

    /// TL's center_writing_weights: every vector written to the residual stream gets mean zero.
    static func centerWriting(_ t: inout [String: Tensor], _ c: ModelConfig) {
        var names = ["embed.W_E", "pos_embed.W_pos"]
        for l in 0..<c.nLayers {
            names += ["blocks.\(l).attn.W_O", "blocks.\(l).attn.b_O"]
            if !c.attnOnly { names += ["blocks.\(l).mlp.W_out", "blocks.\(l).mlp.b_out"] }
        }
        for name in names { t[name] = t[name].map { $0.subtractingMean(lastAxisOf: c.dModel) } }
    }
}

// MARK: - The arithmetic, in Double accumulators

extension Tensor {
    /// Every run of `n` consecutive elements (the last axis) minus its mean.
    func subtractingMean(lastAxisOf n: Int) -> Tensor {
        let n = Swift.max(n, 1)
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: shape) { out in
                var start = 0
                while start < src.count {
                    var sum = 0.0
                    for k in start..<(start + n) { sum += Double(src[k]) }
                    let mean = Float(sum / Double(n))
                    for k in start..<(start + n) { out[k] = src[k] - mean }
                    start += n
                }
            }
        }
    }

    /// For `self` viewed as `[outer, d_model, inner]` (a reading weight) and `bias` as
    /// `[outer, inner]`: the bias plus Σ_m W[o, m, i]·b[m], and W[o, m, i]·w[m] centred over m.
    func foldingNorm(weight lw: Tensor, bias lb: Tensor, into bias: Tensor, outer: Int, inner: Int) -> (Tensor, Tensor) {
        let d = count / Swift.max(outer * inner, 1)
        let w = lw.scalars, b = lb.scalars
        let newBias: Tensor = withUnsafeBufferPointer { src in
            bias.withUnsafeBufferPointer { old in
                Tensor.make(shape: bias.shape) { out in
                    var acc = [Double](repeating: 0, count: inner)
                    for o in 0..<outer {
                        for i in 0..<inner { acc[i] = Double(old[o * inner + i]) }
                        for m in 0..<d {
                            let base = (o * d + m) * inner, bm = Double(b[m])
                            for i in 0..<inner { acc[i] += Double(src[base + i]) * bm }
                        }
                        for i in 0..<inner { out[o * inner + i] = Float(acc[i]) }
                    }
                }
            }
        }
        let newWeight: Tensor = withUnsafeBufferPointer { src in
            Tensor.make(shape: shape) { out in
                var mean = [Double](repeating: 0, count: inner)
                for o in 0..<outer {
                    for i in 0..<inner { mean[i] = 0 }
                    for m in 0..<d {
                        let base = (o * d + m) * inner, wm = w[m]
                        for i in 0..<inner {
                            let v = src[base + i] * wm
                            out[base + i] = v
                            mean[i] += Double(v)
                        }
                    }
                    for m in 0..<d {
                        let base = (o * d + m) * inner
                        for i in 0..<inner { out[base + i] -= Float(mean[i] / Double(d)) }
                    }
                }
            }
        }
        return (newWeight, newBias)
    }

    /// `self [d_model]` plus Σ_k v[k]·W[k, :] for `v` of k elements and `W` of shape `[…, d_model]`.
    func adding(vector v: Tensor, times w: Tensor) -> Tensor {
        let d = count
        var acc = scalars.map(Double.init)
        v.withUnsafeBufferPointer { vb in
            w.withUnsafeBufferPointer { wb in
                for k in 0..<vb.count {
                    let x = Double(vb[k])
                    for m in 0..<d { acc[m] += x * Double(wb[k * d + m]) }
                }
            }
        }
        return Tensor.make(shape: shape) { out in for m in 0..<d { out[m] = Float(acc[m]) } }
    }
}
