import Foundation
import Interp

/// Grades a set of heads against the set a criterion selects from the model (order-free).
struct HeadSetGrading {
    /// e.g. "previous-token score".
    var scoreName: String
    /// e.g. "> 0.5".
    var criterion: String
    /// The heads that meet the criterion.
    var truth: Set<HeadIndex>
    /// A one-phrase description of any head's evidence, e.g. "previous-token score 0.82".
    var evidence: (HeadIndex) -> String

    func grade(_ answer: [HeadIndex]) -> InvestigationResult {
        let given = Set(answer)
        let right = given.intersection(truth).sorted()
        let wrong = given.subtracting(truth).sorted()
        let missing = truth.subtracting(given).count
        var details: [String] = []
        for h in right { details.append("✓ \(h): \(evidence(h)) — meets \(criterion)") }
        for h in wrong { details.append("✗ \(h): \(evidence(h)) — does not meet \(criterion)") }
        if missing > 0 {
            details.append("✗ \(missing) more head\(missing == 1 ? "" : "s") meet\(missing == 1 ? "s" : "") \(criterion): look again")
        }
        if wrong.isEmpty && missing == 0 {
            let noun = truth.count == 1 ? "the head" : "all \(truth.count) heads"
            return InvestigationResult(passed: true, summary: "correct: \(noun) with \(scoreName) \(criterion)", details: details)
        }
        return InvestigationResult(passed: false, summary: "not yet: \(right.count) of \(truth.count) right, \(wrong.count) wrong", details: details)
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
