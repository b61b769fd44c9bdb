/// The verdict of a grader: passed or not, one summary line, and lines that explain what was right
/// or wrong (never the full answer key of a failed attempt: how many are missing, not which).
public struct InvestigationResult: Sendable, Equatable {
    public var passed: Bool
    public var summary: String
    public var details: [String]

    public init(passed: Bool, summary: String, details: [String] = []) {
        self.passed = passed
        self.summary = summary
        self.details = details
    }
}

/// A grader could not run: the model lacks what the exercise asks for, or an analysis failed. One line.
public struct GraderError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Points earned by a passing attempt: the exercise's points less 10% per hint shown (hints cost
/// at most half) and, for investigations, 10% per wrong answer given before it, so that trying
/// answers until one passes earns little or nothing.
public enum ExerciseScoring {
    public static let hintCost = 0.1, maxHintCost = 0.5, wrongAnswerCost = 0.1

    public static func score(points: Int, hintsUsed: Int, wrongAnswers: Int = 0, passed: Bool) -> Int {
        guard passed, points > 0 else { return 0 }
        let factor = max(0, 1 - min(maxHintCost, hintCost * Double(max(0, hintsUsed))) - wrongAnswerCost * Double(max(0, wrongAnswers)))
        return Int((Double(points) * factor).rounded())
    }

    /// The policy in one sentence, with what a right answer would score now.
    public static func policy(points: Int, investigation: Bool, hintsUsed: Int, wrongAnswers: Int) -> String {
        let pct = { (x: Double) in "\(Int((x * 100).rounded()))%" }
        var text = "Scoring: \(points) points; each hint costs \(pct(hintCost)) (at most \(pct(maxHintCost)))"
        guard investigation else { return text + "; failed checks cost nothing." }
        text += ", each wrong answer \(pct(wrongAnswerCost)); an answer that does not parse or names too many heads costs nothing"
        let now = score(points: points, hintsUsed: hintsUsed, wrongAnswers: wrongAnswers, passed: true)
        if hintsUsed > 0 || wrongAnswers > 0 {
            text += ". So far \(hintsUsed) hint\(hintsUsed == 1 ? "" : "s") and \(wrongAnswers) wrong answer\(wrongAnswers == 1 ? "" : "s"): a right answer now scores \(now)/\(points)"
        }
        return text + "."
    }
}
