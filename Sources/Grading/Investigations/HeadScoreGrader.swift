import Course
import Interp
import Transformer

/// Heads whose previous-token or induction score (ARENA's, on repeated random tokens) exceeds a threshold.
public struct HeadScoreGrader: InvestigationGrader {
    public enum Score: String, Sendable { case previousToken = "previous-token", induction }

    public let id: String
    public let score: Score
    public let threshold: Float
    /// The data the scores are computed on: the model card's settings, the same as
    /// `interp heads MODEL --seq-len 15 --batch 32 --seed 0`. On induction-2l the weakest induction
    /// head (1.2) needs long repeats: it scores 0.10 at seq-len 8, 0.40 at 12 and 0.70 at 15, so the
    /// grader uses the longest segment the context holds, where every score is far from 0.5.
    public static let seqLen = ModelCard.scoreSeqLen, batch = ModelCard.scoreBatch, seed = ModelCard.scoreSeed
    public var format: Exercise.AnswerFormat { .heads }

    public static let previousToken = HeadScoreGrader(id: "previous-token-head", score: .previousToken, threshold: 0.5)
    public static let induction = HeadScoreGrader(id: "induction-heads", score: .induction, threshold: 0.5)

    public var method: String {
        "\(score.rawValue) score of every head on \(Self.batch) sequences [bos, r, r] with r of \(Self.seqLen) random tokens (seed \(Self.seed); 'heads MODEL --seq-len \(Self.seqLen) --batch \(Self.batch) --seed \(Self.seed)'); heads above \(fmt(threshold))"
    }

    /// The segment length for `model`: `seqLen`, shortened when the context is smaller (as the model card does).
    public static func seqLen(for model: HookedTransformer) -> Int {
        min(seqLen, (model.config.nCtx - 1) / 2)
    }

    /// The `[layer][head]` scores the grader uses.
    public func scores(model: HookedTransformer) throws -> [[Float]] {
        let s = try HeadScores.compute(model: model, seqLen: Self.seqLen(for: model), batch: Self.batch, seed: Self.seed)
        let t = score == .previousToken ? s.previousToken : s.induction
        let c = model.config
        return (0..<c.nLayers).map { l in (0..<c.nHeads).map { h in t[l, h] } }
    }

    /// The heads above the threshold.
    public func truth(model: HookedTransformer) throws -> Set<HeadIndex> {
        let found = heads(in: try scores(model: model)) { $0 > threshold }
        guard !found.isEmpty else {
            throw GraderError("no head of \(model.config.modelName) has a \(score.rawValue) score above \(fmt(threshold)); this exercise needs the trained model")
        }
        return found
    }

    public func grade(_ answer: ExerciseAnswer, model: HookedTransformer) throws -> InvestigationResult {
        let given = try expectHeads(answer)
        let table = try scores(model: model)
        let truth = try self.truth(model: model)
        let name = "\(score.rawValue) score"
        return try HeadSetGrading(scoreName: name, criterion: "> \(fmt(threshold))", truth: truth,
                                  evidence: { "\(name) \(fmt(table[$0.layer][$0.head]))" }, headCount: model.config.headCount).grade(given)
    }
}
