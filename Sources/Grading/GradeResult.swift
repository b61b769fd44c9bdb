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

/// Points earned by a passing attempt: the exercise's points less 10% per hint shown, at least half.
public enum ExerciseScoring {
    public static func score(points: Int, hintsUsed: Int, passed: Bool) -> Int {
        guard passed, points > 0 else { return 0 }
        let factor = max(0.5, 1 - 0.1 * Double(max(0, hintsUsed)))
        return Int((Double(points) * factor).rounded())
    }
}
