// Reference solution of the exercise composition-score (kept outside the learner's files).
import Tensor
import Transformer

private func frobeniusNorm(_ t: Tensor) -> Float {
    t.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot()
}

public func compositionScore(_ a: Tensor, _ b: Tensor) -> Float {
    frobeniusNorm(a.matmul(b)) / (frobeniusNorm(a) * frobeniusNorm(b))
}

public func kComposition(model: HookedTransformer, writerLayer: Int, writerHead: Int, readerLayer: Int, readerHead: Int) -> Float {
    func weight(_ layer: Int, _ name: String, _ head: Int) -> Tensor {
        (model.weights["blocks.\(layer).attn.\(name)"] ?? Tensor.zeros([1, 1, 1])).select(axis: 0, head)
    }
    let ov = weight(writerLayer, "W_V", writerHead).matmul(weight(writerLayer, "W_O", writerHead))
    let qk = weight(readerLayer, "W_Q", readerHead).matmul(weight(readerLayer, "W_K", readerHead), transposeB: true)
    return compositionScore(ov, qk.transposed())
}
