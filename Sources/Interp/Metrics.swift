// Metrics of a forward pass's logits: TL's next-token loss, logit difference, answer probability
// and log-probability. One implementation each; every analysis, grader and benchmark calls these.
import Foundation
import Tensor
import Transformer

/// A scalar function of the logits `[batch, pos, d_vocab]` of one forward pass.
public protocol LogitMetric: Sendable {
    /// The metric's short name, as the CLI and JSON show it (`loss`, `logit-diff`, …).
    var name: String { get }
    /// The value of the metric on `logits`.
    /// - Throws: `AnalysisError` when the logits do not fit the metric (batch size, ids, positions).
    func value(_ logits: Tensor) throws(AnalysisError) -> Float
}

/// Which position of each sequence a per-sequence metric reads.
public enum MetricPosition: Sendable, Equatable {
    /// The last position of every sequence (a last-token readout).
    case last
    /// One position per sequence (e.g. END of right-padded IOI prompts).
    case each([Int])

    /// The position read in sequence `b` of a batch with `pos` positions.
    func index(_ b: Int, pos: Int) -> Int {
        switch self {
        case .last: return pos - 1
        case .each(let positions): return positions[b]
        }
    }

    func validate(batch: Int, pos: Int) throws(AnalysisError) {
        guard pos > 0 else { throw AnalysisError("logits have no positions") }
        if case .each(let positions) = self {
            guard positions.count == batch else {
                throw AnalysisError("\(positions.count) metric positions for a batch of \(batch); need one each")
            }
            for p in positions where p < 0 || p >= pos {
                throw AnalysisError("metric position \(p) is outside 0..<\(pos)")
            }
        }
    }
}

/// Checks that `logits` is `[batch, pos, vocab]` and returns the three sizes.
func logitShape(_ logits: Tensor) throws(AnalysisError) -> (batch: Int, pos: Int, vocab: Int) {
    guard logits.rank == 3 else { throw AnalysisError("logits must be [batch, pos, vocab], got \(logits.shape)") }
    return (logits.shape[0], logits.shape[1], logits.shape[2])
}

/// Checks one id per sequence, each inside the vocabulary (`allowNone`: -1 means "no token").
func checkIDs(_ ids: [Int], _ what: String, batch: Int, vocab: Int, allowNone: Bool = false) throws(AnalysisError) {
    guard ids.count == batch else {
        throw AnalysisError("\(ids.count) \(what) ids for a batch of \(batch); need one each")
    }
    for id in ids where !(allowNone && id == -1) && (id < 0 || id >= vocab) {
        throw AnalysisError("\(what) id \(id) is outside the vocabulary 0..<\(vocab)")
    }
}

// MARK: - Logit difference

/// Mean over the batch of `logit[answer] − logit[wrong]` at one position per sequence (the last by
/// default): the metric of IOI and of activation patching. A wrong id of -1 reads as 0 (the answer's
/// logit alone, for direct logit attribution to a single token).
public struct LogitDifference: LogitMetric {
    public var answers: [Int]
    public var wrong: [Int]
    public var position: MetricPosition

    public init(answers: [Int], wrong: [Int], position: MetricPosition = .last) {
        self.answers = answers
        self.wrong = wrong
        self.position = position
    }

    public var name: String { "logit-diff" }

    /// The per-sequence differences `[batch]`.
    public func perSequence(_ logits: Tensor) throws(AnalysisError) -> [Float] {
        let (batch, pos, vocab) = try logitShape(logits)
        try checkIDs(answers, "answer", batch: batch, vocab: vocab)
        try checkIDs(wrong, "wrong", batch: batch, vocab: vocab, allowNone: true)
        try position.validate(batch: batch, pos: pos)
        return logits.withUnsafeBufferPointer { p in
            (0..<batch).map { b in
                let row = (b * pos + position.index(b, pos: pos)) * vocab
                return p[row + answers[b]] - (wrong[b] >= 0 ? p[row + wrong[b]] : 0)
            }
        }
    }

    public func value(_ logits: Tensor) throws(AnalysisError) -> Float {
        let diffs = try perSequence(logits)
        return Float(diffs.reduce(0.0) { $0 + Double($1) } / Double(Swift.max(diffs.count, 1)))
    }
}

// MARK: - Next-token loss

/// TransformerLens's `return_type="loss"`: mean cross-entropy of predicting token `i + 1` from
/// position `i`, over every position that has a next token and every sequence. `mask` (same shape as
/// the tokens) keeps only the targets where it is true.
public struct NextTokenLoss: LogitMetric {
    public var tokens: [[Int]]
    public var mask: [[Bool]]?

    public init(tokens: [[Int]], mask: [[Bool]]? = nil) {
        self.tokens = tokens
        self.mask = mask
    }

    public var name: String { "loss" }

    /// One target per logit row: the next token, or -1 where no loss is taken.
    public var targets: [Int] { HookedTransformer.nextTokenTargets(tokens, mask: mask) }

    public func value(_ logits: Tensor) throws(AnalysisError) -> Float {
        let (batch, pos, _) = try logitShape(logits)
        guard batch == tokens.count, tokens.allSatisfy({ $0.count == pos }) else {
            throw AnalysisError("logits \(logits.shape) do not match \(tokens.count) sequences of \(tokens.first?.count ?? 0) tokens")
        }
        return logits.crossEntropy(targets: targets)
    }
}

// MARK: - Answer probability and log-probability

/// Mean over the batch of the answer's log-probability (or probability) at one position per sequence.
public struct AnswerProbability: LogitMetric {
    public var answers: [Int]
    public var position: MetricPosition
    /// True: log-probability; false: probability.
    public var logarithm: Bool

    public init(answers: [Int], position: MetricPosition = .last, logarithm: Bool = true) {
        self.answers = answers
        self.position = position
        self.logarithm = logarithm
    }

    public var name: String { logarithm ? "log-prob" : "prob" }

    public func value(_ logits: Tensor) throws(AnalysisError) -> Float {
        let (batch, pos, vocab) = try logitShape(logits)
        try checkIDs(answers, "answer", batch: batch, vocab: vocab)
        try position.validate(batch: batch, pos: pos)
        let logProbs = logits.logSoftmax()                                          // [b, p, vocab]
        let perSequence: [Double] = logProbs.withUnsafeBufferPointer { lp in
            (0..<batch).map { b in
                let x = Double(lp[(b * pos + position.index(b, pos: pos)) * vocab + answers[b]])
                return logarithm ? x : Foundation.exp(x)
            }
        }
        return Float(perSequence.reduce(0, +) / Double(batch))
    }
}
