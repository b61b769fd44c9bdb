// Task metrics of the bundled models: in-context loss on repeated tokens, IOI accuracy and logit difference.
import Tensor

/// Task metrics computed from a model's forward pass.
public enum TaskMetrics {
    /// Mean loss (nats) of predicting the second copy of `r` in `[bos, r, r]` from the token before
    /// it, over tokens `r[1...]` of the second copy (its first token cannot be inferred from context).
    /// - Throws: `ModelError` for sequences that are not of odd length ≥ 5, or a bad token batch.
    public static func inContextLoss(model: HookedTransformer, repeated tokens: [[Int]]) throws -> Float {
        guard let length = tokens.first?.count, length >= 5, length % 2 == 1 else {
            throw ModelError("in-context loss needs sequences [bos, r, r] of odd length ≥ 5")
        }
        let seqLen = (length - 1) / 2
        let logits = try model.forward(tokens)                                   // [b, p, vocab]
        var targets: [Int] = []
        for seq in tokens {
            for i in 0..<length {
                // Position i predicts token i + 1; keep targets at positions seqLen + 2 ... 2·seqLen.
                targets.append(i + 1 >= seqLen + 2 && i + 1 < length ? seq[i + 1] : -1)
            }
        }
        return logits.crossEntropy(targets: targets)
    }

    /// IOI accuracy (share of prompts where the IO's logit beats S's at END) and mean logit
    /// difference `logit[IO] − logit[S]` at END.
    /// - Throws: `ModelError` when a prompt's names are not in the model's vocabulary or the batch is bad.
    public static func ioi(model: HookedTransformer, prompts: [IOIPrompt]) throws -> (accuracy: Float, meanLogitDiff: Float) {
        guard !prompts.isEmpty else { throw ModelError("IOI metrics need at least one prompt") }
        let (tokens, _) = IOIBatch.padded(prompts)
        let logits = try model.forward(tokens)                                   // [b, p, vocab]
        let (pos, vocab) = (logits.shape[1], logits.shape[2])
        var correct = 0, total = 0.0
        for (b, p) in prompts.enumerated() {
            guard let end = p.positions["END"], let io = model.tokenizer.id(of: p.io), let s = model.tokenizer.id(of: p.s) else {
                throw ModelError("IOI prompt \(b): names '\(p.io)' / '\(p.s)' or END missing from the model's vocabulary")
            }
            let row = (b * pos + end) * vocab
            let diff = logits.scalars[row + io] - logits.scalars[row + s]
            if diff > 0 { correct += 1 }
            total += Double(diff)
        }
        return (Float(correct) / Float(prompts.count), Float(total / Double(prompts.count)))
    }

    /// The fixed held-out IOI evaluation set: 500 prompts from seed 20_240_601 (the training stream
    /// uses other seeds).
    public static func ioiEvalPrompts() -> [IOIPrompt] {
        var rng = SeededRandom(seed: 20_240_601)
        return IOIData.prompts(n: 500, rng: &rng)
    }
}
