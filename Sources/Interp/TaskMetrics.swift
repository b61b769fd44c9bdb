// Task metrics of the bundled models: in-context loss on repeated tokens, IOI accuracy and logit
// difference, and the metrics a training run tracks.
import Tensor
import Transformer

/// Task metrics computed from a model's forward pass.
public enum TaskMetrics {
    /// Mean loss (nats) of predicting the second copy of `r` in `[bos, r, r]` from the token before
    /// it, over tokens `r[1...]` of the second copy (its first token cannot be inferred from context).
    /// - Throws: `AnalysisError` for sequences that are not of odd length ≥ 5; `ModelError` for a bad batch.
    public static func inContextLoss(model: HookedTransformer, repeated tokens: [[Int]]) throws -> Float {
        guard let length = tokens.first?.count, length >= 5, length % 2 == 1 else {
            throw AnalysisError("in-context loss needs sequences [bos, r, r] of odd length ≥ 5")
        }
        let seqLen = (length - 1) / 2
        // Targets r[1...] of the second copy: token positions seqLen + 2 … 2·seqLen.
        let loss = NextTokenLoss(tokens: tokens, mask: tokens.map { $0.indices.map { $0 >= seqLen + 2 } })
        return try loss.value(model.forward(tokens))
    }

    /// IOI accuracy (share of prompts where the IO's logit beats S's at END) and mean logit
    /// difference `logit[IO] − logit[S]` at END.
    /// - Throws: `AnalysisError` when a prompt's names or END are missing from the model's vocabulary;
    ///   `ModelError` for a bad batch.
    public static func ioi(model: HookedTransformer, prompts: [IOIPrompt]) throws -> (accuracy: Float, meanLogitDiff: Float) {
        guard !prompts.isEmpty else { throw AnalysisError("IOI metrics need at least one prompt") }
        var ends: [Int] = [], io: [Int] = [], s: [Int] = []
        for (b, p) in prompts.enumerated() {
            guard let end = p.positions["END"], let i = model.tokenizer.id(of: p.io), let j = model.tokenizer.id(of: p.s) else {
                throw AnalysisError("IOI prompt \(b + 1): names '\(p.io)' / '\(p.s)' or END missing from the model's vocabulary")
            }
            ends.append(end)
            io.append(i)
            s.append(j)
        }
        let (tokens, _) = IOIBatch.padded(prompts)
        let diffs = try LogitDifference(answers: io, wrong: s, position: .each(ends)).perSequence(model.forward(tokens))
        let correct = diffs.filter { $0 > 0 }.count
        return (Float(correct) / Float(prompts.count), Float(diffs.reduce(0.0) { $0 + Double($1) } / Double(prompts.count)))
    }

    /// The fixed held-out IOI evaluation set: 500 prompts from seed 20_240_601 (the training stream
    /// uses other seeds).
    public static func ioiEvalPrompts() -> [IOIPrompt] {
        var rng = SeededRandom(seed: 20_240_601)
        return IOIData.prompts(n: 500, rng: &rng)
    }

    /// The metrics `interp train` tracks at `step` (`loss`: the mean training loss since the last
    /// evaluation). Induction: the in-context loss on 32 sequences `[bos, r, r]` (r of 15, seed 2) and
    /// the best previous-token and induction head scores (16 sequences, seed 1). IOI: accuracy and
    /// mean logit difference on `ioiEvalPrompts()`.
    /// - Throws: `ModelError` or `AnalysisError` when the model cannot take the data.
    public static func trainingEvaluation(model: HookedTransformer, task: TrainingTask, step: Int, loss: Float?) throws -> TrainingEvaluation {
        var e = TrainingEvaluation(step: step, loss: loss)
        switch task {
        case .induction:
            let scores = try HeadScores.compute(model: model, seqLen: 15, batch: 16, seed: 1)
            var rng = SeededRandom(seed: 2)
            let tokens = InductionData.repeated(batch: 32, seqLen: 15, vocabSize: model.config.dVocab, rng: &rng)
            e.inContextLoss = try inContextLoss(model: model, repeated: tokens)
            e.bestPreviousToken = HeadScores.best(scores.previousToken).score
            e.bestInduction = HeadScores.best(scores.induction).score
        case .ioi:
            let (accuracy, diff) = try ioi(model: model, prompts: ioiEvalPrompts())
            e.accuracy = accuracy
            e.meanLogitDiff = diff
        }
        return e
    }
}
