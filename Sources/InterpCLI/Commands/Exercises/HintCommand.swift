import ArgumentParser
import Course
import Grading
import Progress
import TerminalUI

/// `hint ID`: the next hint of an exercise (hints shown are recorded and cost 10% of the points each).
struct HintCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint",
        abstract: "Show the next hint of an exercise (each costs 10% of its points, at most half).")
    @Argument(help: "The exercise id (default: the current exercise).") var id: String?
    @Flag(help: "Show every hint already revealed again, without revealing a new one.") var shown = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let (_, exercise) = try session.exercise(id)
        let db = try session.database()
        let used = try db.hintsUsed(exerciseID: exercise.id)
        session.currentExercise = exercise.id
        if shown {
            guard used > 0 else { session.out("No hints shown yet: hint \(exercise.id) reveals the first."); return }
            for (i, h) in exercise.hints.prefix(used).enumerated() { session.paragraph("Hint \(i + 1)/\(exercise.hints.count): " + TerminalText.line(h), hang: "  ") }
            return
        }
        guard used < exercise.hints.count else {
            session.out("No more hints for \(exercise.id) (all \(exercise.hints.count) shown; 'hint \(exercise.id) --shown' repeats them).")
            return
        }
        try db.recordHint(exerciseID: exercise.id, index: used, at: try session.now())
        session.paragraph(session.style("Hint \(used + 1)/\(exercise.hints.count): ", .bold) + TerminalText.line(exercise.hints[used]), hang: "  ")
    }
}
