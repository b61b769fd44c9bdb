import ArgumentParser
import Course
import Foundation
import Grading
import Progress
import TerminalUI

/// `ex`: the exercises with status and points; `ex show ID`; `ex reset ID`.
struct ExCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "ex",
        abstract: "List the exercises with your status and points (show, reset).",
        subcommands: [ExShowCommand.self, ExResetCommand.self])

    @Flag(help: "Print JSON instead of a list.") var json = false
    @OptionGroup var global: GlobalOptions

    struct Row: Encodable {
        var id: String, title: String, lesson: String, kind: String, model: String
        var points: Int, score: Int, status: String, attempts: Int, hintsUsed: Int, hints: Int
        var file: String?
        /// Solved, but only by checks whose code ran without a sandbox.
        var unsandboxed: Bool
    }

    func execute(in session: Session) throws {
        let course = try session.course()
        let statuses = try session.database().exerciseStatuses()
        let rows = course.exercises.map { e in
            let s = statuses[e.id]
            return Row(id: e.id, title: e.title, lesson: e.lesson, kind: e.kind.rawValue, model: e.model, points: e.points,
                       score: s?.bestScore ?? 0, status: ExerciseState(s).rawValue, attempts: s?.attempts ?? 0,
                       hintsUsed: s?.hintsUsed ?? 0, hints: e.hints.count, file: e.learnerPath, unsandboxed: s?.passedUnsandboxed ?? false)
        }
        if json { try session.printJSON(rows); return }
        guard !rows.isEmpty else { session.out("This course has no exercises (\(Exercise.directory)/<id>/manifest.yaml)."); return }
        let idWidth = rows.map(\.id.count).max() ?? 0
        var lines: [String] = []
        for lesson in orderedLessons(course) {
            lines.append(session.style(TerminalText.line(course.lesson(id: lesson)?.title ?? lesson), .bold + .underline))
            for (e, row) in zip(course.exercises, rows) where e.lesson == lesson {
                let mark = ExerciseState(statuses[e.id]).mark(color: session.color)
                let kind = e.kind == .code ? "code " : "find "
                let points = String(format: "%3d/%-3d pts", row.score, row.points)
                let flag = row.unsandboxed ? " (unsandboxed)" : ""
                let titleWidth = max(10, session.width - (idWidth + 30 + flag.count))
                lines.append("  \(mark)  " + session.style(e.id.padding(toLength: idWidth, withPad: " ", startingAt: 0), .cyan)
                             + "  " + session.style(kind, .dim) + points + "  " + CellText.truncate(TerminalText.line(e.title), to: titleWidth) + session.style(flag, .yellow))
            }
            lines.append("")
        }
        let total = ExerciseTotals(course: course, statuses: statuses)
        lines.append("\(total.solved)/\(total.total) solved, \(total.pointsEarned)/\(total.pointsAvailable) points.")
        lines.append(session.style("ex show ID opens one; hint ID, answer ID VALUE, check ID, watch ID.", .dim))
        session.out(lines.joined(separator: "\n"))
    }

    /// Lesson ids in course order, then lessons that do not exist yet, in exercise order.
    private func orderedLessons(_ course: Course) -> [String] {
        let used = course.exercises.map(\.lesson)
        var order = course.lessons.map(\.id).filter(used.contains)
        for l in used where !order.contains(l) { order.append(l) }
        return order
    }
}

/// `ex show ID`: the prompt, how to answer or which file to edit, and the hints already shown.
struct ExShowCommand: InterpCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an exercise: its prompt and how to answer.")
    @Argument(help: "The exercise id (see 'ex').") var id: String
    @Flag(help: "Print the prompt as Markdown source.") var raw = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let (course, exercise) = try session.exercise(id)
        let path = course.absolutePath(exercise.promptPath)
        guard let data = try? InputFile.read(path) else { throw CLIError.noInput("\(exercise.promptPath): cannot read the prompt") }
        let markdown = String(decoding: data, as: UTF8.self)
        let renderer = MarkdownRenderer(width: session.width, color: session.color, hyperlinks: session.color && session.stdoutIsTTY)
        session.out(raw ? (session.stdoutIsTTY ? TerminalText.block(markdown) : markdown) : renderer.render(markdown))
        let db = try session.database()
        try db.touchExercise(exercise.id, at: try session.now())
        session.currentExercise = exercise.id
        let status = try db.exerciseStatuses()[exercise.id]
        var footer = ["\(exercise.points) points · model \(exercise.model) · \(exercise.hints.count) hints (\(status?.hintsUsed ?? 0) shown)"]
        switch exercise.kind {
        case .investigate:
            footer.append("Answer with: answer \(exercise.id) VALUE — \(exercise.answerFormat?.example ?? "")")
        case .code:
            footer.append("Edit \(exercise.learnerPath ?? "?"), then: check \(exercise.id) (or watch \(exercise.id)).")
        }
        let wrong = try ExerciseRecorder.wrongAnswers(exercise, in: db)
        footer.append(ExerciseScoring.policy(points: exercise.points, investigation: exercise.kind == .investigate,
                                             hintsUsed: status?.passed == true ? 0 : status?.hintsUsed ?? 0, wrongAnswers: status?.passed == true ? 0 : wrong))
        if status?.passed == true {
            footer.append("Solved: best score \(status?.bestScore ?? 0)/\(exercise.points)" + (status?.passedUnsandboxed == true ? " (unsandboxed)." : "."))
        }
        for line in footer { session.paragraph(session.style(TerminalText.line(line), .dim)) }
    }
}

/// `ex reset ID`: puts the stub back into the learner's file, keeping a timestamped backup.
struct ExResetCommand: InterpCommand {
    static let configuration = CommandConfiguration(commandName: "reset", abstract: "Restore a code exercise's stub (keeps a backup of your file).")
    @Argument(help: "The exercise id.") var id: String
    @Flag(help: "Do not ask for confirmation (required when stdin is not a terminal).") var yes = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let (course, exercise) = try session.exercise(id)
        guard exercise.kind == .code, let learner = exercise.learnerPath else {
            throw CLIError.usage("'\(exercise.id)' is an investigation: there is no file to reset")
        }
        let stubPath = course.absolutePath(exercise.stubPath), target = course.absolutePath(learner)
        guard let stub = FileManager.default.contents(atPath: stubPath) else { throw CLIError.noInput("\(exercise.stubPath): cannot read the stub") }
        if !yes {
            guard session.isInteractive else { throw CLIError.usage("ex reset needs --yes when stdin is not a terminal") }
            guard Confirm.ask("Replace \(learner) with the stub? Your file is kept as a backup.", in: session) else {
                session.out("Nothing was reset.")
                return
            }
        }
        let backup = try ExerciseFiles.reset(target: target, stub: stub, now: try session.now())
        session.out("Restored the stub of \(exercise.id) in \(learner)." + (backup.map { " Your version: \($0)" } ?? ""))
    }
}

/// File operations of `ex reset`.
enum ExerciseFiles {
    /// Copies `target` to `target.YYYYMMDD-HHMMSS.bak` (when it exists and differs from the stub), then
    /// writes the stub atomically. Returns the backup's path.
    static func reset(target: String, stub: Data, now: Date) throws -> String? {
        var backup: String?
        if let current = FileManager.default.contents(atPath: target), current != stub {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyyyMMdd-HHmmss"
            var path = "\(target).\(f.string(from: now)).bak"
            var n = 2
            while FileManager.default.fileExists(atPath: path) { path = "\(target).\(f.string(from: now))-\(n).bak"; n += 1 }
            do { try current.write(to: URL(fileURLWithPath: path)) } catch { throw CLIError.io("\(path): cannot write the backup (\(error.localizedDescription))") }
            backup = path
        }
        do { try stub.write(to: URL(fileURLWithPath: target), options: .atomic) } catch {
            throw CLIError.io("\(target): cannot write the stub (\(error.localizedDescription))")
        }
        return backup
    }
}
