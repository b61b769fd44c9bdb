// Head detectors on repeated random tokens [bos, r, r], as ARENA computes them.
import Foundation
import Tensor
import Transformer

/// Per-head attention scores `[layer, head]` on repeated random tokens `[bos, r, r]` (`r` of length
/// `seqLen`), each the mean attention (over the batch and the positions of one diagonal stripe of
/// the pattern, as ARENA takes `pattern.diagonal(offset)`):
/// - previous-token: query `i` → key `i − 1` (offset −1, every query after `<bos>`);
/// - duplicate-token: query `i` → key `i − seqLen` (its earlier copy; offset −seqLen);
/// - induction: query `i` → key `i − seqLen + 1` (the token after the earlier copy; offset 1 − seqLen);
/// - first-token: every query → key 0 (`<bos>`).
public struct HeadScores: AnalysisOutput, Equatable {
    /// One detector's scores.
    public struct Detector: Sendable, Equatable {
        /// "previous-token", "duplicate-token", "induction" or "first-token".
        public let name: String
        /// `[layer, head]`.
        public let scores: Tensor
        /// The name without "-token", for narrow panel titles.
        public var shortName: String { name.replacingOccurrences(of: "-token", with: "") }
    }

    public var model: String
    /// Length of the random segment `r`.
    public let seqLen: Int
    /// Number of sequences the scores average over.
    public let batch: Int
    /// The seed of the random tokens, when the scores drew them.
    public var seed: UInt64?
    public let previousToken: Tensor
    public let duplicateToken: Tensor
    public let induction: Tensor
    public let firstToken: Tensor

    /// The detectors, in report order.
    public var all: [Detector] {
        [Detector(name: "previous-token", scores: previousToken), Detector(name: "duplicate-token", scores: duplicateToken),
         Detector(name: "induction", scores: induction), Detector(name: "first-token", scores: firstToken)]
    }

    /// Every (detector, head) scoring at least `threshold`, detector by detector, heads in order.
    public func heads(scoringAtLeast threshold: Double) -> [(detector: String, head: HeadIndex, score: Float)] {
        all.flatMap { d in
            (0..<d.scores.count).compactMap { i in
                let (l, h) = (i / d.scores.shape[1], i % d.scores.shape[1])
                let score = d.scores[l, h]
                return Double(score) >= threshold ? (d.name, HeadIndex(l, h), score) : nil
            }
        }
    }

    /// Public form: kind `"head_scores"`, values `[score, layer, head]`, with `seq_len`, `batch` and `seed`.
    public var publicForm: AnalysisResult {
        var extra: [String: AnalysisField] = ["seq_len": .number(Double(seqLen)), "batch": .number(Double(batch))]
        if let seed { extra["seed"] = .number(Double(seed)) }
        return AnalysisResult(kind: "head_scores", model: model, axes: ["score", "layer", "head"],
                              values: Tensor.stack(all.map(\.scores), axis: 0), labels: ["score": all.map(\.name)], extra: extra)
    }

    /// Scores on `batch` sequences of `InductionData.repeated` drawn from `seed` (ids `2..<d_vocab`).
    /// - Throws: `ModelError` when `1 + 2·seqLen` exceeds the context, or seqLen/batch are below 1.
    public static func compute(model: HookedTransformer, seqLen: Int, batch: Int, seed: UInt64) throws -> HeadScores {
        guard seqLen >= 2, batch >= 1 else {
            throw ModelError("head scores need a repeated segment of at least 2 tokens and at least one sequence (got \(seqLen), \(batch))")
        }
        guard 1 + 2 * seqLen <= model.config.nCtx else {
            throw ModelError("a repeated segment of \(seqLen) tokens needs \(1 + 2 * seqLen) positions; \(model.config.modelName) has n_ctx \(model.config.nCtx)")
        }
        var rng = SeededRandom(seed: seed)
        var scores = try compute(model: model, tokens: InductionData.repeated(batch: batch, seqLen: seqLen, vocabSize: model.config.dVocab, rng: &rng))
        scores.seed = seed
        return scores
    }

    /// Scores on given `[bos, r, r]` sequences (odd length 2·seqLen + 1, all of one length).
    /// - Throws: `ModelError` for an empty batch, an even length, or a bad token batch.
    public static func compute(model: HookedTransformer, tokens: [[Int]]) throws -> HeadScores {
        guard let length = tokens.first?.count, length >= 5, length % 2 == 1 else {
            throw ModelError("head scores need sequences [bos, r, r] of odd length ≥ 5")
        }
        let seqLen = (length - 1) / 2
        let c = model.config
        let names = (0..<c.nLayers).map { HookPoint.name(.pattern, layer: $0) }
        let (_, cache) = try model.runWithCache(tokens, names: .names(names))
        var prev = [Float](), dup = [Float](), ind = [Float](), first = [Float]()
        for l in 0..<c.nLayers {
            guard let pattern = cache[names[l]] else { throw ModelError("head scores: no pattern for layer \(l)") }
            for h in 0..<c.nHeads {
                prev.append(stripe(pattern, head: h, offset: -1))
                dup.append(stripe(pattern, head: h, offset: -seqLen))
                ind.append(stripe(pattern, head: h, offset: 1 - seqLen))
                first.append(column(pattern, head: h, key: 0))
            }
        }
        func t(_ v: [Float]) throws -> Tensor { try Tensor(shape: [c.nLayers, c.nHeads], scalars: v) }
        return HeadScores(model: c.modelName, seqLen: seqLen, batch: tokens.count, seed: nil, previousToken: try t(prev), duplicateToken: try t(dup), induction: try t(ind), firstToken: try t(first))
    }

    /// Mean of `pattern[b, head, i, i + offset]` over the batch and every valid `i` (offset < 0).
    static func stripe(_ pattern: Tensor, head: Int, offset: Int) -> Float {
        let (batch, heads, q, k) = (pattern.shape[0], pattern.shape[1], pattern.shape[2], pattern.shape[3])
        var total = 0.0, n = 0
        pattern.withUnsafeBufferPointer { p in
            for b in 0..<batch {
                let base = (b * heads + head) * q * k
                for i in Swift.max(0, -offset)..<q where i + offset < k {
                    total += Double(p[base + i * k + i + offset])
                    n += 1
                }
            }
        }
        return n == 0 ? 0 : Float(total / Double(n))
    }

    /// Mean of `pattern[b, head, i, key]` over the batch and every query.
    static func column(_ pattern: Tensor, head: Int, key: Int) -> Float {
        let (batch, heads, q, k) = (pattern.shape[0], pattern.shape[1], pattern.shape[2], pattern.shape[3])
        var total = 0.0
        pattern.withUnsafeBufferPointer { p in
            for b in 0..<batch {
                for i in 0..<q { total += Double(p[(b * heads + head) * q * k + i * k + key]) }
            }
        }
        return batch * q == 0 ? 0 : Float(total / Double(batch * q))
    }
}

extension HeadScores {
    /// The highest score of a `[layer, head]` score tensor with its head, e.g. `best(induction)` → (1, 2, 0.83).
    public static func best(_ scores: Tensor) -> (layer: Int, head: Int, score: Float) {
        guard let top = HeadIndex.ranked(scores).first else { return (0, 0, -.infinity) }
        return (top.head.layer, top.head.head, top.value)
    }
}
