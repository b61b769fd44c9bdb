import ArgumentParser
import Course
import Foundation
import Grading
import TerminalUI

/// `watch ID`: re-checks a code exercise whenever its file is saved (rustlings style). Ctrl-C leaves.
struct WatchCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Re-check a code exercise every time you save its file (Ctrl-C to stop).")
    @Argument(help: "The exercise id (default: the current exercise).") var id: String?
    @Option(help: "Stop after this many checks (default: until Ctrl-C).") var maxChecks: Int?
    @Option(help: "Time limit for your code, in seconds.") var timeLimit: Double = 60
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let n = maxChecks, n < 1 { throw ValidationError("--max-checks must be at least 1 (got \(n))") }
        try CheckCommand.validate(timeLimit: timeLimit)
    }

    func execute(in session: Session) throws {
        let (course, exercise) = try session.exercise(id)
        guard exercise.kind == .code, let learner = exercise.learnerPath else {
            throw CLIError.usage("'\(exercise.id)' is an investigation: there is no file to watch; use 'answer \(exercise.id) VALUE'")
        }
        session.currentExercise = exercise.id
        let path = course.absolutePath(learner)
        func stamp() -> Date? { (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date }
        var checks = 0
        try Interrupt.withCooperativeHandler {
            var last = stamp()
            while true {
                do { _ = try CodeCheck.run(exercise, course: course, seed: nil, timeLimit: timeLimit, json: false, in: session) }
                catch let e as CLIError where e.status == .interrupted { session.out("Stopped watching \(exercise.id)."); return }
                checks += 1
                if let max = maxChecks, checks >= max { return }
                session.out(session.style("Watching \(learner): save it to check again, Ctrl-C to stop.", .dim))
                while true {
                    if Interrupt.isRequested { session.out("Stopped watching \(exercise.id)."); return }
                    Thread.sleep(forTimeInterval: 0.5)
                    let now = stamp()
                    if now != last { last = now; break }
                }
            }
        }
    }
}
