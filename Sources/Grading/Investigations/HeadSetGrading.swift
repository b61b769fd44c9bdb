import Foundation
import Interp
import Transformer

/// Grades a set of heads against the set a criterion selects from the model (order-free), with one
/// verdict per answer: a wrong answer is told how many of the heads it names are right, never which,
/// so that answers cannot be tried head by head. An answer may name at most `limit` heads.
struct HeadSetGrading {
    /// e.g. "previous-token score".
    var scoreName: String
    /// e.g. "> 0.5".
    var criterion: String
    /// The heads that meet the criterion.
    var truth: Set<HeadIndex>
    /// A one-phrase description of any head's evidence, e.g. "previous-token score 0.82" (shown for
    /// a right answer only).
    var evidence: (HeadIndex) -> String
    /// How many heads the model has.
    var headCount: Int

    /// The most heads an answer may name: half the model's heads (the truth's size if larger), so
    /// that naming every head is refused and the limit itself does not give the truth's size away.
    var limit: Int { Self.limit(truth: truth.count, heads: headCount) }

    static func limit(truth: Int, heads: Int) -> Int { max(truth, heads / 2) }

    /// - Throws: `AnswerFormatError` when the answer names more heads than `limit` (not an attempt).
    func grade(_ answer: [HeadIndex]) throws(AnswerFormatError) -> InvestigationResult {
        let given = Set(answer)
        guard given.count <= limit else {
            throw AnswerFormatError("\(given.count) heads named; an answer may name at most \(limit) (half the model's heads): name the heads your evidence points to")
        }
        let right = given.intersection(truth).count
        if given == truth {
            let noun = truth.count == 1 ? "the head" : "all \(truth.count) heads"
            return InvestigationResult(passed: true, summary: "correct: \(noun) with \(scoreName) \(criterion)",
                                       details: truth.sorted().map { "✓ \($0): \(evidence($0))" })
        }
        let summary: String
        switch (given.count, right) {
        case (1, 1): summary = "not yet: the head you named is right, but more heads meet the criterion"
        case (1, _): summary = "not yet: the head you named does not meet the criterion"
        case (let n, let r) where r == n: summary = "not yet: \(n == 2 ? "both" : "all \(n)") heads you named are right, but more heads meet the criterion"
        case (let n, let r): summary = "not yet: \(r) of the \(n) heads you named \(r == 1 ? "meets" : "meet") the criterion"
        }
        return InvestigationResult(passed: false, summary: summary,
                                   details: ["an answer is told how many of its heads are right, never which; each wrong answer costs \(Int(ExerciseScoring.wrongAnswerCost * 100))% of the points"])
    }
}

/// Formats a score with two decimals.
func fmt(_ x: Float) -> String { String(format: "%.2f", Double(x)) }
func fmt(_ x: Double) -> String { String(format: "%.2f", x) }

/// The heads of a `[layer, head]` tensor whose value satisfies `keep`.
func heads(in scores: [[Float]], where keep: (Float) -> Bool) -> Set<HeadIndex> {
    var result = Set<HeadIndex>()
    for (l, row) in scores.enumerated() {
        for (h, x) in row.enumerated() where keep(x) { result.insert(HeadIndex(l, h)) }
    }
    return result
}

extension ModelConfig {
    /// Every head of every layer.
    var headCount: Int { nLayers * nHeads }
}
