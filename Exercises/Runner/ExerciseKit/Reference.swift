// Reference computations the Interp module does not expose as functions of their own.
import Foundation
import Tensor
import Transformer

public enum Reference {
    /// Mean of `pattern[i, i + offset]` over every query `i` with a valid key (offset ≤ 0).
    public static func stripeMean(_ pattern: Tensor, offset: Int) -> Float {
        let n = pattern.shape[0]
        var total = 0.0, count = 0
        for i in 0..<n where i + offset >= 0 && i + offset < pattern.shape[1] {
            total += Double(pattern[i, i + offset])
            count += 1
        }
        return count == 0 ? 0 : Float(total / Double(count))
    }

    /// Frobenius norm in double precision.
    public static func frobenius(_ t: Tensor) -> Double {
        t.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    }

    /// ‖A B‖_F / (‖A‖_F ‖B‖_F).
    public static func compositionScore(_ a: Tensor, _ b: Tensor) -> Float {
        Float(frobenius(a.matmul(b)) / (frobenius(a) * frobenius(b)))
    }

    /// W_OV = W_V[h] · W_O[h], `[d_model, d_model]`.
    public static func ov(_ model: HookedTransformer, layer: Int, head: Int) -> Tensor {
        let wV = weight(model, "blocks.\(layer).attn.W_V").select(axis: 0, head)   // [d_model, d_head]
        let wO = weight(model, "blocks.\(layer).attn.W_O").select(axis: 0, head)   // [d_head, d_model]
        return wV.matmul(wO)
    }

    /// W_QK = W_Q[h] · W_K[h]ᵀ, `[d_model, d_model]`.
    public static func qk(_ model: HookedTransformer, layer: Int, head: Int) -> Tensor {
        let wQ = weight(model, "blocks.\(layer).attn.W_Q").select(axis: 0, head)   // [d_model, d_head]
        let wK = weight(model, "blocks.\(layer).attn.W_K").select(axis: 0, head)   // [d_model, d_head]
        return wQ.matmul(wK, transposeB: true)
    }

    /// Random row-stochastic causal attention pattern `[n, n]`.
    public static func randomPattern(_ n: Int, rng: inout SeededRandom) -> Tensor {
        var values = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            let raw = (0...i).map { _ in Foundation.exp(rng.normal() * 2) }
            let sum = raw.reduce(0, +)
            for j in 0...i { values[i * n + j] = raw[j] / sum }
        }
        return tensor([n, n], values)
    }

    /// A random `[rows, cols]` matrix with standard-normal entries.
    public static func randomMatrix(_ rows: Int, _ cols: Int, rng: inout SeededRandom) -> Tensor {
        tensor([rows, cols], (0..<(rows * cols)).map { _ in rng.normal() })
    }

    /// IOI pairs as token batches with answer/wrong ids for `model`.
    public static func ioiBatch(_ model: HookedTransformer, n: Int, seed: UInt64, corruption: IOICorruption)
        -> (clean: [[Int]], corrupted: [[Int]], answers: [Int], wrong: [Int]) {
        let pairs = IOIData.pairs(n: n, seed: seed, corruption: corruption)
        let id = { (s: String) in model.tokenizer.id(of: s) ?? 0 }
        return (pairs.map(\.clean.tokens), pairs.map(\.corrupted.tokens), pairs.map { id($0.answer) }, pairs.map { id($0.wrong) })
    }
}

/// A tensor of this shape and these values (an empty tensor of the shape when they do not fit).
public func tensor(_ shape: [Int], _ scalars: [Float]) -> Tensor {
    (try? Tensor(shape: shape, scalars: scalars)) ?? Tensor.zeros(shape)
}

/// A weight of the model (zeros when the model lacks it, which a loaded model never does).
public func weight(_ model: HookedTransformer, _ name: String) -> Tensor {
    model.weights[name] ?? Tensor.zeros([model.config.nHeads, model.config.dModel, model.config.dHead])
}
