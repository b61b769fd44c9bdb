import Course
import Interp
import Transformer

/// Recomputes the truth of an investigation from a model and grades an answer against it. No
/// answer key is stored: a retrained model is graded by what it really does.
public protocol InvestigationGrader: Sendable {
    /// The id manifests name in `grader:`.
    var id: String { get }
    /// The answer format the grader expects.
    var format: Exercise.AnswerFormat { get }
    /// What the grader measures and on which data, one sentence (shown after grading).
    var method: String { get }
    /// Grades `answer` on `model`.
    /// - Throws: `GraderError` when the model lacks what the exercise is about; analysis errors pass through.
    func grade(_ answer: ExerciseAnswer, model: HookedTransformer) throws -> InvestigationResult
}

/// Every investigation grader, by id.
public enum InvestigationGraders {
    public static let all: [any InvestigationGrader] = [
        HeadScoreGrader.previousToken, HeadScoreGrader.induction,
        ResidPatchingGrader(), NameMoverGrader(), SInhibitionGrader(), QueryPathGrader(),
    ]

    /// The grader with this id.
    public static func grader(id: String) -> (any InvestigationGrader)? {
        all.first { $0.id == id }
    }

    /// The ids, for `CourseChecker.knownGraders`.
    public static var ids: Set<String> { Set(all.map(\.id)) }
}

/// The answer as heads, or a `GraderError` saying the grader expects heads.
func expectHeads(_ answer: ExerciseAnswer) throws -> [HeadIndex] {
    guard case .heads(let heads) = answer else { throw GraderError("this exercise expects \(Exercise.AnswerFormat.heads.example)") }
    return heads
}
