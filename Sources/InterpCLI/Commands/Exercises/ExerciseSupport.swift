import Course
import Foundation
import Grading
import Progress
import TerminalUI
import Transformer

/// What the exercise commands share: finding an exercise, its status, and its model.
extension Session {
    /// The course and the exercise `id` (the REPL's current exercise when nil).
    /// - Throws: for an unknown id, a missing-input error (exit 66, as for an unknown lesson)
    ///   naming the closest ids; the same from every exercise command.
    func exercise(_ id: String?) throws -> (Course, Exercise) {
        let course = try self.course()
        guard let id = id ?? currentExercise else {
            throw CLIError.usage("no exercise: pass an id (see 'ex') or open one with 'ex show ID'")
        }
        guard let exercise = course.exercise(id: id) else { throw Self.unknownExercise(id, in: course) }
        return (course, exercise)
    }

    /// The error of an exercise id the course does not have.
    static func unknownExercise(_ id: String, in course: Course) -> CLIError {
        CLIError.noInput("no exercise '\(id)'" + Suggest.phrase(for: id, in: course.exercises.map(\.id)) + " (see 'ex')")
    }

    /// The model an exercise works on.
    func exerciseModel(_ exercise: Exercise) throws -> LoadedModel {
        do { return try model(exercise.model) } catch let e as CLIError {
            throw CLIError(e.message + " (exercise '\(exercise.id)' needs the bundled model '\(exercise.model)')", status: e.status)
        }
    }
}

/// Where a learner stands with an exercise.
enum ExerciseState: String, Encodable {
    case notStarted = "not-started", started, done

    init(_ status: ExerciseStatus?) {
        guard let status else { self = .notStarted; return }
        self = status.passed ? .done : .started
    }

    func mark(color: Bool) -> String {
        switch self {
        case .done: return color ? Style.green.apply("✓", enabled: true) : "[x]"
        case .started: return color ? Style.yellow.apply("◐", enabled: true) : "[~]"
        case .notStarted: return color ? "·" : "[ ]"
        }
    }
}

/// The exercise totals `progress` and the welcome screen show: points earned, and the exercises
/// started but not solved.
struct ExerciseTotals {
    var pointsEarned: Int
    var pointsAvailable: Int
    var solved: Int
    var total: Int
    /// Ids of exercises with activity that are not solved yet, most recent first.
    var unfinished: [String]

    init(course: Course, statuses: [String: ExerciseStatus]) {
        let ids = Set(course.exercises.map(\.id))
        pointsEarned = statuses.values.filter { ids.contains($0.exerciseID) }.reduce(0) { $0 + $1.bestScore }
        pointsAvailable = course.exercises.reduce(0) { $0 + $1.points }
        solved = statuses.values.filter { ids.contains($0.exerciseID) && $0.passed }.count
        total = course.exercises.count
        unfinished = statuses.values.filter { ids.contains($0.exerciseID) && !$0.passed }
            .sorted { ($0.lastActivityAt ?? .distantPast) > ($1.lastActivityAt ?? .distantPast) }.map(\.exerciseID)
    }

    /// "Exercises: 3/12 solved, 45/195 points; unfinished: induction-score, logit-diff"
    var line: String {
        var text = "Exercises: \(solved)/\(total) solved, \(pointsEarned)/\(pointsAvailable) points"
        if !unfinished.isEmpty { text += "; unfinished: " + unfinished.prefix(3).joined(separator: ", ") + (unfinished.count > 3 ? ", …" : "") }
        return text
    }

    /// The totals of the session's course and database.
    static func load(in session: Session) throws -> ExerciseTotals {
        ExerciseTotals(course: try session.course(), statuses: try session.database().exerciseStatuses())
    }
}

/// Records an attempt with its score (best effort on the clock: `--now` wins).
enum ExerciseRecorder {
    @discardableResult
    static func record(_ exercise: Exercise, response: String, passed: Bool, started: Date, sandbox: String? = nil,
                       in session: Session) throws -> Int {
        let now = try session.now()
        let db = try session.database()
        let score = ExerciseScoring.score(points: exercise.points, hintsUsed: try db.hintsUsed(exerciseID: exercise.id),
                                          wrongAnswers: try wrongAnswers(exercise, in: db), passed: passed)
        let ms = max(0, Int(Date().timeIntervalSince(started) * 1000))
        try db.recordExerciseAttempt(ExerciseAttempt(exerciseID: exercise.id, kind: exercise.kind.rawValue, response: response,
                                                     passed: passed, score: score, attemptedAt: now, durationMs: ms, sandbox: sandbox))
        return score
    }

    /// Investigations: the wrong answers given before the first right one (each costs points like a
    /// hint). Code checks cost nothing when they fail: their cases are new each run.
    static func wrongAnswers(_ exercise: Exercise, in db: AppDatabase) throws -> Int {
        guard exercise.kind == .investigate else { return 0 }
        return try db.exerciseAttempts(exerciseID: exercise.id).prefix { !$0.passed }.count
    }
}
