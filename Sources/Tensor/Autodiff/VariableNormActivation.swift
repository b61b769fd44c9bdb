// Differentiable LayerNorm, affine, activation functions and the cross-entropy loss.

extension Variable {
    /// LayerNorm without affine along the last axis (see `Tensor.layerNorm(eps:)`): the normalized
    /// values; the scale is a function of the input and is differentiated through.
    public func layerNorm(eps: Float) -> Variable {
        let (y, scale) = value.layerNorm(eps: eps)
        return tape.record(y, inputs: [self]) { [id] t, g in
            t.accumulate(id, Tensor.layerNormBackward(dNormalized: g, normalized: y, scale: scale))
        }
    }

    /// `self * weight + bias` over the last axis (`weight`, `bias` `[lastAxis]`).
    public func affine(weight: Variable, bias: Variable) -> Variable {
        precondition(tape === weight.tape && tape === bias.tape, "affine: variables belong to different tapes")
        let x = value, w = weight.value
        return tape.record(x.affine(weight: w, bias: bias.value), inputs: [self, weight, bias]) { [id] t, g in
            if t.requiresGrad(id: id) { t.accumulate(id, g * w) }
            if t.requiresGrad(id: weight.id) { t.accumulate(weight.id, (g * x).summed(toShape: w.shape)) }
            if t.requiresGrad(id: bias.id) { t.accumulate(bias.id, g.summed(toShape: w.shape)) }
        }
    }

    /// GPT-2's `gelu_new`.
    public func geluNew() -> Variable {
        let x = value
        return tape.record(x.geluNew(), inputs: [self]) { [id] t, g in t.accumulate(id, Tensor.geluNewBackward(dy: g, x: x)) }
    }

    /// The exact GELU.
    public func gelu() -> Variable {
        let x = value
        return tape.record(x.gelu(), inputs: [self]) { [id] t, g in t.accumulate(id, Tensor.geluBackward(dy: g, x: x)) }
    }

    /// `max(x, 0)`.
    public func relu() -> Variable {
        let x = value
        return tape.record(x.relu(), inputs: [self]) { [id] t, g in t.accumulate(id, Tensor.reluBackward(dy: g, x: x)) }
    }

    /// Mean cross-entropy of these logits `[..., vocab]` against one target per row (-1 skips a row),
    /// a scalar (see `Tensor.crossEntropy(targets:)`).
    public func crossEntropy(targets: [Int]) -> Variable {
        let x = value
        return tape.record(Tensor(x.crossEntropy(targets: targets)), inputs: [self]) { [id] t, g in
            t.accumulate(id, x.crossEntropyBackward(targets: targets, seed: g.item))
        }
    }
}
