// Head detectors on repeated random tokens [bos, r, r], as ARENA computes them.
import Tensor
import Transformer

/// Per-head attention scores `[layer, head]` on repeated random tokens `[bos, r, r]` (`r` of length
/// `seqLen`), each the mean attention (over the batch and the positions of one diagonal stripe of
/// the pattern, as ARENA takes `pattern.diagonal(offset)`):
/// - previous-token: query `i` → key `i − 1` (offset −1, every query after `<bos>`);
/// - duplicate-token: query `i` → key `i − seqLen` (its earlier copy; offset −seqLen);
/// - induction: query `i` → key `i − seqLen + 1` (the token after the earlier copy; offset 1 − seqLen);
/// - first-token: every query → key 0 (`<bos>`).
public struct HeadScores: Sendable, Equatable {
    /// Length of the random segment `r`.
    public let seqLen: Int
    public let previousToken: Tensor
    public let duplicateToken: Tensor
    public let induction: Tensor
    public let firstToken: Tensor

    /// The kinds of score, in report order, with their names.
    public var all: [(name: String, scores: Tensor)] {
        [("previous-token", previousToken), ("duplicate-token", duplicateToken), ("induction", induction), ("first-token", firstToken)]
    }

    /// Scores on `batch` sequences of `InductionData.repeated` drawn from `seed` (ids `2..<d_vocab`).
    /// - Throws: `ModelError` when `1 + 2·seqLen` exceeds the context, or seqLen/batch are below 1.
    public static func compute(model: HookedTransformer, seqLen: Int, batch: Int, seed: UInt64) throws -> HeadScores {
        guard seqLen >= 2, batch >= 1 else { throw ModelError("head scores need --seq-len ≥ 2 and --batch ≥ 1 (got \(seqLen), \(batch))") }
        guard 1 + 2 * seqLen <= model.config.nCtx else {
            throw ModelError("--seq-len \(seqLen) needs \(1 + 2 * seqLen) positions; \(model.config.modelName) has n_ctx \(model.config.nCtx)")
        }
        var rng = SeededRandom(seed: seed)
        return try compute(model: model, tokens: InductionData.repeated(batch: batch, seqLen: seqLen, vocabSize: model.config.dVocab, rng: &rng))
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
        return HeadScores(seqLen: seqLen, previousToken: try t(prev), duplicateToken: try t(dup), induction: try t(ind), firstToken: try t(first))
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
    /// The highest score of a kind with its head, e.g. `best(induction)` → (1, 2, 0.83).
    public static func best(_ scores: Tensor) -> (layer: Int, head: Int, score: Float) {
        var best = (layer: 0, head: 0, score: -Float.infinity)
        let heads = scores.shape.count == 2 ? scores.shape[1] : 1
        for (i, v) in scores.scalars.enumerated() where v > best.score { best = (i / heads, i % heads, v) }
        return best
    }
}
