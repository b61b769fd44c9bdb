// The `training` metadata of a model file: written by `interp train`, read by the model card.
import Foundation

/// How a model file was trained: the file's `training` metadata (JSON, keys sorted). One schema for
/// the writer (`interp train`) and every reader (the model card, the lessons' claim tests).
public struct TrainingMetadata: Codable, Sendable, Equatable {
    /// The command that reproduces the run, e.g. `interp train ioi-3l --seed 1`.
    public var command: String
    public var recipe: TrainingRecipe
    public var seed: UInt64
    /// Steps taken (the recipe's steps for a complete run).
    public var steps: Int
    /// Mean training loss over the last steps of the run.
    public var finalLoss: Float
    /// A one-line description of the data.
    public var data: String
    /// When the run ended (ISO 8601).
    public var date: String
    /// False for a checkpoint written before the last step.
    public var complete: Bool
    /// The tracked metrics, in step order.
    public var history: [TrainingEvaluation]

    public init(command: String, recipe: TrainingRecipe, seed: UInt64, steps: Int, finalLoss: Float, data: String,
                date: String, complete: Bool, history: [TrainingEvaluation]) {
        self.command = command
        self.recipe = recipe
        self.seed = seed
        self.steps = steps
        self.finalLoss = finalLoss
        self.data = data
        self.date = date
        self.complete = complete
        self.history = history
    }

    /// The metadata key of a model file that holds this record.
    public static let metadataKey = "training"

    /// The record as the file stores it: JSON with sorted keys.
    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The record in a file's metadata; nil when there is none or it does not follow this schema.
    public init?(metadata: [String: String]) {
        guard let json = metadata[Self.metadataKey],
              let record = try? JSONDecoder().decode(TrainingMetadata.self, from: Data(json.utf8)) else { return nil }
        self = record
    }
}

/// The metrics tracked at one step of a training run.
public struct TrainingEvaluation: Codable, Sendable, Equatable {
    public var step: Int
    /// Mean training loss over the steps since the last evaluation (nil at step 0).
    public var loss: Float?
    /// Induction task: in-context loss on `[bos, r, r]` and the best head scores.
    public var inContextLoss: Float?
    public var bestPreviousToken: Float?
    public var bestInduction: Float?
    /// IOI task: held-out accuracy and mean logit difference.
    public var accuracy: Float?
    public var meanLogitDiff: Float?

    public init(step: Int, loss: Float? = nil, inContextLoss: Float? = nil, bestPreviousToken: Float? = nil,
                bestInduction: Float? = nil, accuracy: Float? = nil, meanLogitDiff: Float? = nil) {
        self.step = step
        self.loss = loss
        self.inContextLoss = inContextLoss
        self.bestPreviousToken = bestPreviousToken
        self.bestInduction = bestInduction
        self.accuracy = accuracy
        self.meanLogitDiff = meanLogitDiff
    }
}

extension HookedTransformer {
    /// The training record of the file this model was loaded from, if it has one.
    public var trainingMetadata: TrainingMetadata? { TrainingMetadata(metadata: fileMetadata) }
}
