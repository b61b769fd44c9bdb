// The model card: facts about a model computed on the spot from its weights and file metadata.
import Foundation
import Tensor
import Transformer

/// A model's card: architecture, how it was trained (from the file's `training` metadata), task
/// metrics and head facts, each computed from the weights when the card is made.
public struct ModelCard: Codable, Sendable {
    /// One head with a score.
    public struct HeadFact: Codable, Sendable, Equatable {
        public var layer: Int
        public var head: Int
        public var score: Float
        /// "1.2", as heads are written everywhere else.
        public var label: String { HeadIndex(layer, head).description }
    }

    /// How the model was trained: the facts of the file's `TrainingMetadata` the card shows.
    public struct Training: Codable, Sendable {
        public var command: String?
        public var seed: UInt64?
        public var steps: Int?
        public var finalLoss: Float?
        public var data: String?
        public var date: String?

        public init(_ record: TrainingMetadata) {
            command = record.command
            seed = record.seed
            steps = record.steps
            finalLoss = record.finalLoss
            data = record.data
            date = record.date
        }
    }

    public var name: String
    public var config: ModelConfig
    public var parameters: Int
    public var training: Training?
    /// The task the metrics are for: "induction", "ioi", or nil when unknown.
    public var task: String?
    /// induction: mean loss (nats) on the second copy of `[bos, r, r]` (see `TaskMetrics.inContextLoss`).
    public var inContextLoss: Float?
    /// ioi: held-out accuracy and mean logit difference on `TaskMetrics.ioiEvalPrompts()`.
    public var ioiAccuracy: Float?
    public var ioiMeanLogitDiff: Float?
    /// Heads with the highest scores of each kind on repeated random tokens (at most 3 per kind).
    public var previousTokenHeads: [HeadFact]
    public var inductionHeads: [HeadFact]
    public var duplicateTokenHeads: [HeadFact]
    /// ioi: mean attention END→IO, END→S2 and S2→S1 per head, highest first (at most 3 each).
    public var endToIO: [HeadFact]?
    public var endToS2: [HeadFact]?
    public var s2ToS1: [HeadFact]?

    /// Settings of the head-score measurement: `[bos, r, r]`, r of 15 tokens, 32 sequences, seed 0.
    public static let scoreSeqLen = 15, scoreBatch = 32, scoreSeed: UInt64 = 0
    /// Settings of the in-context loss: 64 sequences of `[bos, r, r]`, r of 15 tokens, seed 1.
    public static let lossBatch = 64, lossSeed: UInt64 = 1

    /// The card of a model file.
    /// - Throws: `ModelError` when the file cannot be read as a model.
    public static func make(url: URL, name: String) throws -> ModelCard {
        try make(model: try HookedTransformer(contentsOf: url), name: name)
    }

    /// The card of a loaded model; how it was trained comes from the metadata of the file it was
    /// loaded from (`HookedTransformer.trainingMetadata`).
    public static func make(model: HookedTransformer, name: String) throws -> ModelCard {
        let c = model.config
        let record = model.trainingMetadata
        let task = record?.recipe.task.rawValue ?? (name.hasPrefix("induction") ? "induction" : name.hasPrefix("ioi") ? "ioi" : nil)
        var card = ModelCard(name: name, config: c, parameters: model.weights.parameterCount, training: record.map(Training.init),
                             task: task, previousTokenHeads: [], inductionHeads: [], duplicateTokenHeads: [])
        let seqLen = Swift.min(scoreSeqLen, (c.nCtx - 1) / 2)
        if seqLen >= 2 {
            let scores = try HeadScores.compute(model: model, seqLen: seqLen, batch: scoreBatch, seed: scoreSeed)
            card.previousTokenHeads = top(scores.previousToken)
            card.inductionHeads = top(scores.induction)
            card.duplicateTokenHeads = top(scores.duplicateToken)
        }
        let usesSharedVocab = model.tokenizer.vocab == Vocabulary.shared
        if task == "induction", seqLen >= 2 {
            var rng = SeededRandom(seed: lossSeed)
            let tokens = InductionData.repeated(batch: lossBatch, seqLen: seqLen, vocabSize: c.dVocab, rng: &rng)
            card.inContextLoss = try TaskMetrics.inContextLoss(model: model, repeated: tokens)
        }
        if task == "ioi", usesSharedVocab, c.nCtx >= IOIData.maxTokens {
            let prompts = TaskMetrics.ioiEvalPrompts()
            let (accuracy, diff) = try TaskMetrics.ioi(model: model, prompts: prompts)
            card.ioiAccuracy = accuracy
            card.ioiMeanLogitDiff = diff
            let attention = try IOIAttention.mean(model: model, prompts: prompts,
                                                  routes: [("END", "IO"), ("END", "S2"), ("S2", "S1")])
            card.endToIO = top(attention[0])
            card.endToS2 = top(attention[1])
            card.s2ToS1 = top(attention[2])
        }
        return card
    }

    /// The (up to) three highest-scoring heads of a `[layer, head]` score tensor, highest first.
    static func top(_ scores: Tensor, count: Int = 3) -> [HeadFact] {
        HeadIndex.ranked(scores).prefix(count).map { HeadFact(layer: $0.head.layer, head: $0.head.head, score: $0.value) }
    }
}

extension ModelCard {
    /// The card as plain text lines (the command adds colour and layout).
    public var lines: [String] {
        func heads(_ facts: [HeadFact]) -> String {
            facts.map { "\($0.label) (\(String(format: "%.2f", $0.score)))" }.joined(separator: ", ")
        }
        let c = config
        var out = ["\(name): \(c.nLayers) layers · \(c.attnOnly ? "attention-only" : "MLP \(c.dMLP ?? 0)") · d_model \(c.dModel) · "
                   + "\(c.nHeads) heads × \(c.dHead) · \(c.positionalEmbeddingType.rawValue) · "
                   + "\(c.normalizationType.map(\.rawValue) ?? "no norm") · n_ctx \(c.nCtx) · vocab \(c.dVocab) · \(parameters.formatted()) parameters"]
        if let t = training {
            if let cmd = t.command { out.append("trained with: \(cmd)") }
            var facts: [String] = []
            if let s = t.seed { facts.append("seed \(s)") }
            if let s = t.steps { facts.append("\(s) steps") }
            if let l = t.finalLoss { facts.append(String(format: "final loss %.3f", l)) }
            if let d = t.date { facts.append(d) }
            if !facts.isEmpty { out.append(facts.joined(separator: " · ")) }
            if let d = t.data { out.append("data: \(d)") }
        } else {
            out.append("no training record in the file")
        }
        if let l = inContextLoss { out.append(String(format: "in-context loss on repeated tokens (second half): %.3f nats", l)) }
        if let a = ioiAccuracy, let d = ioiMeanLogitDiff {
            out.append(String(format: "IOI held-out accuracy %.1f%% · mean logit difference %.2f (500 prompts)", a * 100, d))
        }
        out.append("previous-token heads: " + heads(previousTokenHeads))
        out.append("induction heads: " + heads(inductionHeads))
        out.append("duplicate-token heads: " + heads(duplicateTokenHeads))
        if let e = endToIO { out.append("END → IO attention (name movers): " + heads(e)) }
        if let e = endToS2 { out.append("END → S2 attention (S-inhibition-like): " + heads(e)) }
        if let e = s2ToS1 { out.append("S2 → S1 attention (duplicate-token): " + heads(e)) }
        return out
    }
}
