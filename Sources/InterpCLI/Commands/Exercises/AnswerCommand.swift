import ArgumentParser
import Course
import Foundation
import Grading
import Progress
import TerminalUI

/// `answer ID VALUE` (or `answer VALUE` for the current exercise in the REPL): grades an investigation
/// against the truth recomputed from the bundled model.
struct AnswerCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer",
        abstract: "Answer an investigation: answer ID VALUE (in the REPL, answer VALUE for the current exercise).")
    @Argument(help: "The exercise id, then the answer (heads 0.1,1.2; L:P; a number; a token).")
    var words: [String] = []
    @Flag(help: "Print the verdict as JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    struct Verdict: Encodable {
        var exercise: String, answer: String, passed: Bool, score: Int, summary: String, details: [String], method: String
        /// Wrong answers so far (before the first right one), and what a right answer scores now.
        var wrongAnswers: Int, rightAnswerScores: Int
        /// The same wrong answer was given before: not counted again.
        var repeated: Bool
    }

    func execute(in session: Session) throws {
        let started = Date()
        var words = self.words
        let course = try session.course()
        var id: String?
        if let first = words.first, course.exercise(id: first) != nil {
            id = first
            words.removeFirst()
        }
        if id == nil, session.currentExercise == nil, words.count >= 2, let first = words.first {
            // `answer ID VALUE` with an id that names no exercise.
            throw Session.unknownExercise(first, in: course)
        }
        let (_, exercise) = try session.exercise(id)
        guard exercise.kind == .investigate, let format = exercise.answerFormat, let graderID = exercise.grader else {
            throw CLIError.usage("'\(exercise.id)' is a code exercise: edit \(exercise.learnerPath ?? "its file") and run 'check \(exercise.id)'")
        }
        guard !words.isEmpty else { throw CLIError.usage("answer \(exercise.id) VALUE: expected \(format.example)") }
        guard let grader = InvestigationGraders.grader(id: graderID) else {
            throw CLIError.data("\(exercise.manifestPath): unknown grader '\(graderID)'")
        }
        session.currentExercise = exercise.id
        do { _ = try format.parse(words.joined(separator: " ")) }   // format errors before loading the model
        catch { throw CLIError.usage("answer \(exercise.id): \(error.message)") }
        let model = try session.exerciseModel(exercise).model
        let answer: ExerciseAnswer
        do { answer = try format.parse(words.joined(separator: " "), config: model.config, vocabulary: model.tokenizer.vocab) }
        catch { throw CLIError.usage("answer \(exercise.id): \(error.message)") }
        let result: InvestigationResult
        do { result = try grader.grade(answer, model: model) }
        catch let e as AnswerFormatError { throw CLIError.usage("answer \(exercise.id): \(e.message)") }
        catch let e as GraderError { throw CLIError.data("\(exercise.id): \(e.message)") }
        // One verdict per answer; the same wrong answer twice is not charged twice.
        let db = try session.database()
        let earlier = try db.exerciseAttempts(exerciseID: exercise.id)
        let repeated = !result.passed && earlier.contains { !$0.passed && $0.response == answer.description }
        let score = repeated ? 0 : try ExerciseRecorder.record(exercise, response: answer.description, passed: result.passed, started: started, in: session)
        let wrong = try ExerciseRecorder.wrongAnswers(exercise, in: db)
        let worth = ExerciseScoring.score(points: exercise.points, hintsUsed: try db.hintsUsed(exerciseID: exercise.id), wrongAnswers: wrong, passed: true)
        if json {
            try session.printJSON(Verdict(exercise: exercise.id, answer: answer.description, passed: result.passed, score: score,
                                          summary: result.summary, details: result.details, method: grader.method,
                                          wrongAnswers: wrong, rightAnswerScores: worth, repeated: repeated))
        } else {
            session.paragraph(session.style(result.passed ? "✓ " : "✗ ", result.passed ? .green : .red) + TerminalText.line(result.summary), hang: "  ")
            for line in result.details { session.paragraph(TerminalText.line(line), indent: "  ", hang: "    ") }
            if result.passed { session.out("Score: \(score)/\(exercise.points) points.") }
            else if repeated { session.paragraph(session.style("You gave this answer before; it is not counted again.", .dim)) }
            else { session.paragraph("Wrong answers so far: \(wrong); a right answer now scores \(worth)/\(exercise.points).") }
            session.paragraph(session.style("Graded from \(exercise.model): \(grader.method).", .dim))
        }
        if !result.passed { throw CLIError.failed("wrong answer").silent }
    }
}
