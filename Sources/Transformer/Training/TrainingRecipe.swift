// The training recipes of the bundled models: architecture, data and optimizer settings.
import Foundation

/// What a model is trained on.
public enum TrainingTask: String, Codable, Sendable, CaseIterable {
    /// Random word tokens with a repeated segment (`InductionData.batch`); loss on every next token.
    case induction
    /// IOI prompts (`IOIData.prompts`); next-word loss on the whole prompt, the answer at END included.
    case ioi
}

/// Everything that decides a training run besides the seed.
public struct TrainingRecipe: Codable, Sendable, Equatable {
    /// The model name the recipe makes ("induction-2l", "ioi-3l").
    public var name: String
    public var task: TrainingTask
    public var config: ModelConfig
    public var steps: Int
    public var batch: Int
    /// Peak learning rate of AdamW.
    public var lr: Float
    public var weightDecay: Float
    public var warmupSteps: Int
    /// Final learning rate as a fraction of the peak (cosine decay).
    public var minLRRatio: Float
    /// Gradient clipping by global norm.
    public var clipNorm: Float
    /// IOI only: the weight of the next-word loss on the words before END, added to the loss on the
    /// answer at END (weight 1). `nil`: one mean over every word of the prompt, the answer included.
    public var promptLossWeight: Float?

    /// The names of the known recipes.
    public static let names = ["induction-2l", "ioi-3l"]

    /// The recipe named `name`: "induction-2l" (2 layers, induction data, 6,000 steps) or "ioi-3l"
    /// (3 layers, IOI prompts, 3,000 steps). Both: attention-only, no LayerNorm, shortformer positions,
    /// d_model 64, 4 heads of 16, n_ctx 32, the shared vocabulary, AdamW lr 3e-3, weight decay 0.01,
    /// batch 64, 100 warm-up steps, cosine decay to 10%, clipping at global norm 1.
    /// - Throws: `ModelError` listing the known recipes.
    public static func named(_ name: String) throws(ModelError) -> TrainingRecipe {
        let (task, layers, steps): (TrainingTask, Int, Int)
        switch name {
        case "induction-2l": (task, layers, steps) = (.induction, 2, 6000)
        case "ioi-3l": (task, layers, steps) = (.ioi, 3, 3000)
        default: throw ModelError("no training recipe named '\(name)'; known: " + names.joined(separator: ", "))
        }
        let config = try ModelConfig(nLayers: layers, dModel: 64, nHeads: 4, dHead: 16, nCtx: 32, dVocab: Vocabulary.shared.count,
                                     attnOnly: true, normalizationType: nil, positionalEmbeddingType: .shortformer, modelName: name)
        return TrainingRecipe(name: name, task: task, config: config, steps: steps, batch: 64, lr: 3e-3, weightDecay: 0.01,
                              warmupSteps: 100, minLRRatio: 0.1, clipNorm: 1.0)
    }

    public init(name: String, task: TrainingTask, config: ModelConfig, steps: Int, batch: Int, lr: Float, weightDecay: Float,
                warmupSteps: Int, minLRRatio: Float, clipNorm: Float, promptLossWeight: Float? = nil) {
        self.name = name
        self.task = task
        self.config = config
        self.steps = steps
        self.batch = batch
        self.lr = lr
        self.weightDecay = weightDecay
        self.warmupSteps = warmupSteps
        self.minLRRatio = minLRRatio
        self.clipNorm = clipNorm
        self.promptLossWeight = promptLossWeight
    }

    /// A one-line description of the data, for the model card and the training metadata.
    public var dataDescription: String {
        switch task {
        case .induction:
            return "induction: <bos> + \(config.nCtx - 1) random word tokens (ids 2..<\(config.dVocab)) with one segment of length "
                + "\(InductionData.segmentLengths.lowerBound)–\(InductionData.segmentLengths.upperBound) copied later; next-token loss on every position"
        case .ioi:
            return "ioi: \(IOIData.templateCount) templates, ABBA and BABA, 0–\(IOIData.maxFillersBefore) filler words before and "
                + "0–\(IOIData.maxFillersBetween) between the clauses; next-word loss on every word of the prompt, the indirect object at the end included"
        }
    }
}
