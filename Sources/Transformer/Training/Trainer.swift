// The training loop's state: model parameters, AdamW, the seeded data stream, one step at a time.
import Tensor

/// Trains a model by a recipe, one AdamW step per `step()` call. Deterministic: the same recipe
/// and seed give the same weights bit for bit (single-threaded BLAS).
///
/// The seed initialises the weights (`ModelWeights.random(seed:)`) and, through a derived stream,
/// the data batches.
public struct Trainer {
    public let recipe: TrainingRecipe
    public let seed: UInt64
    /// Steps taken so far.
    public private(set) var stepsTaken = 0
    /// The loss of the last step.
    public private(set) var lastLoss: Float = .nan
    private var parameters: [String: Tensor]
    private var optimizer: AdamW
    private var dataRNG: SeededRandom
    private let schedule: LearningRateSchedule
    private let base: HookedTransformer

    /// A trainer with freshly initialised weights.
    /// - Throws: `ModelError` when the recipe's config and the shared vocabulary disagree.
    public init(recipe: TrainingRecipe, seed: UInt64) throws(ModelError) {
        self.recipe = recipe
        self.seed = seed
        base = try HookedTransformer(weights: ModelWeights.random(config: recipe.config, seed: seed), vocab: Vocabulary.shared)
        parameters = base.weights.tensors
        optimizer = AdamW(weightDecay: recipe.weightDecay)
        dataRNG = SeededRandom(seed: seed ^ 0x5EED_DA7A_0000_0001)
        schedule = LearningRateSchedule(peak: recipe.lr, warmupSteps: recipe.warmupSteps, totalSteps: recipe.steps,
                                        minRatio: recipe.minLRRatio)
    }

    /// The learning rate of the next step.
    public var currentLR: Float { schedule.rate(at: stepsTaken) }

    /// The model with the current weights.
    public func model() throws(ModelError) -> HookedTransformer {
        var m = base
        try m.setWeights(ModelWeights(config: recipe.config, tensors: parameters, source: recipe.name))
        return m
    }

    /// One step: a fresh batch, forward and backward on a tape, clipping, AdamW. Returns the loss.
    @discardableResult
    public mutating func step() throws -> Float {
        let (tokens, targets) = nextBatch()
        let model = try self.model()
        let tape = Tape()
        let vars = model.parameterVariables(on: tape)
        let logits = try model.logits(tokens, parameters: vars)
        let loss: Variable
        if recipe.task == .ioi, let weight = recipe.promptLossWeight {
            let (answer, prompt) = IOIBatch.splitTargets(targets, tokens: tokens)
            loss = logits.crossEntropy(targets: answer) + weight * logits.crossEntropy(targets: prompt)
        } else {
            loss = logits.crossEntropy(targets: targets)
        }
        tape.backward(from: loss)
        var grads: [String: Tensor] = [:]
        for (name, v) in vars { grads[name] = tape.gradient(of: v) }
        GradientClipping.clip(&grads, maxNorm: recipe.clipNorm)
        optimizer.update(&parameters, gradients: grads, lr: schedule.rate(at: stepsTaken)) { name in
            !(name.split(separator: ".").last?.hasPrefix("b") ?? false)           // no decay on biases
        }
        stepsTaken += 1
        lastLoss = loss.value.item
        return lastLoss
    }

    /// The next training batch and its flat targets (-1 where no loss is taken).
    mutating func nextBatch() -> (tokens: [[Int]], targets: [Int]) {
        let c = recipe.config
        switch recipe.task {
        case .induction:
            let b = InductionData.batch(batch: recipe.batch, seqLen: c.nCtx - 1, vocabSize: c.dVocab, rng: &dataRNG)
            return (b.tokens, HookedTransformer.nextTokenTargets(b.tokens))
        case .ioi:
            let prompts = IOIData.prompts(n: recipe.batch, rng: &dataRNG)
            return IOIBatch.padded(prompts, allPositions: true)
        }
    }
}

/// IOI prompts as one right-padded batch.
public enum IOIBatch {
    /// Prompts padded with `<pad>` to the longest one (padding comes after END, so a causal model's
    /// outputs at END are unchanged), with targets: the IO's id at each END, and with `allPositions`
    /// also the next word at every position before END (a language-model loss on the prompt); -1 elsewhere.
    public static func padded(_ prompts: [IOIPrompt], allPositions: Bool = false) -> (tokens: [[Int]], targets: [Int]) {
        let length = prompts.map(\.tokens.count).max() ?? 0
        var tokens: [[Int]] = [], targets: [Int] = []
        for p in prompts {
            tokens.append(p.tokens + [Int](repeating: Vocabulary.padID, count: length - p.tokens.count))
            var t = [Int](repeating: -1, count: length)
            if let end = p.positions["END"], let io = Vocabulary.ids[p.io] {
                t[end] = io
                if allPositions { for i in 0..<end { t[i] = p.tokens[i + 1] } }
            }
            targets += t
        }
        return (tokens, targets)
    }

    /// Splits the targets of `padded(_:allPositions: true)` into the answer targets (END of each
    /// sequence: its last non-pad token) and the targets of the words before END; -1 elsewhere.
    public static func splitTargets(_ targets: [Int], tokens: [[Int]]) -> (answer: [Int], prompt: [Int]) {
        var answer = [Int](repeating: -1, count: targets.count), prompt = answer
        let length = tokens.first?.count ?? 0
        for (b, seq) in tokens.enumerated() {
            let end = (seq.lastIndex { $0 != Vocabulary.padID }) ?? 0
            for i in 0..<length where b * length + i < targets.count {
                let k = b * length + i
                if i == end { answer[k] = targets[k] } else { prompt[k] = targets[k] }
            }
        }
        return (answer, prompt)
    }
}
