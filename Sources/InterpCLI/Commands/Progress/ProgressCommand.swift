import ArgumentParser
import Course
import Progress
import TerminalUI

struct ProgressCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Your progress through the course, by track.",
        subcommands: [ProgressResetCommand.self])

    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    struct TrackSummary: Encodable {
        var track: Int, title: String, lessons: Int, completed: Int, started: Int, minutes: Int, minutesCompleted: Int
    }

    func execute(in session: Session) throws {
        let course = try session.course()
        let progress = Dictionary(try session.database().lessonProgress().map { ($0.lessonID, $0) }) { a, _ in a }
        let summary = CourseSummary(course: course)
        let tracks = Self.tracks(summary: summary, progress: Array(progress.values))
        let exercises = try ExerciseTotals.load(in: session)
        if json {
            struct Exercises: Encodable { var solved: Int; var total: Int; var pointsEarned: Int; var pointsAvailable: Int; var unfinished: [String] }
            struct Out: Encodable { var tracks: [TrackSummary]; var next: String?; var exercises: Exercises }
            let next = summary.nextLesson(completed: Set(progress.values.filter(\.isCompleted).map(\.lessonID)))
            try session.printJSON(Out(tracks: tracks, next: next?.id,
                                      exercises: Exercises(solved: exercises.solved, total: exercises.total,
                                                           pointsEarned: exercises.pointsEarned,
                                                           pointsAvailable: exercises.pointsAvailable,
                                                           unfinished: exercises.unfinished)))
            return
        }
        session.out(ProgressView.render(tracks: tracks, in: session))
        if exercises.total > 0 { session.out("\n  " + exercises.line) }
    }

    /// Lessons done and started per track.
    static func tracks(summary: CourseSummary, progress: [LessonProgress]) -> [TrackSummary] {
        let byID = Dictionary(progress.map { ($0.lessonID, $0) }) { a, _ in a }
        return summary.tracks.map { t in
            let done = t.lessons.filter { byID[$0.id]?.isCompleted == true }
            return TrackSummary(track: t.track, title: CourseSummary.trackTitle(t.track), lessons: t.lessons.count,
                                completed: done.count,
                                started: t.lessons.filter { byID[$0.id].map { !$0.isCompleted } ?? false }.count,
                                minutes: t.lessons.reduce(0) { $0 + $1.minutes },
                                minutesCompleted: done.reduce(0) { $0 + $1.minutes })
        }
    }
}

/// The per-track progress bars, shared by `progress` and the welcome screen.
enum ProgressView {
    static func render(tracks: [ProgressCommand.TrackSummary], in session: Session) -> String {
        let titleWidth = tracks.map { $0.title.count }.max() ?? 0
        let barWidth = max(10, min(30, session.width - titleWidth - 24))
        return tracks.map { t in
            let fraction = t.lessons == 0 ? 0 : Double(t.completed) / Double(t.lessons)
            let filled = Int((fraction * Double(barWidth)).rounded())
            let bar = session.color
                ? session.style(String(repeating: "█", count: filled), .green) + session.style(String(repeating: "░", count: barWidth - filled), .dim)
                : "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "]"
            let pad = String(repeating: " ", count: titleWidth - t.title.count)
            return "  \(t.title)\(pad)  \(bar)  \(t.completed)/\(t.lessons) lessons"
        }.joined(separator: "\n")
    }
}

struct ProgressResetCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Forget lesson progress (all lessons, or one with --lesson).")

    @Option(help: "Reset only this lesson.") var lesson: String?
    @Flag(help: "Do not ask for confirmation (required when stdin is not a terminal).") var yes = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        var id: String? = nil
        if let ref = lesson { id = try LessonLookup.find(ref, in: session.course()).id }
        let what = id.map { "progress of lesson '\($0)'" } ?? "progress of every lesson"
        if !yes {
            guard session.isInteractive else {
                throw CLIError.usage("progress reset needs --yes when stdin is not a terminal")
            }
            guard Confirm.ask("Reset the \(what)? This cannot be undone.", in: session) else {
                session.out("Nothing was reset.")
                return
            }
        }
        let n = try session.database().resetLessonProgress(id)
        session.out("Reset the \(what) (\(n) record\(n == 1 ? "" : "s")).")
    }
}

/// A yes/no question on the terminal; anything but y/yes is no.
enum Confirm {
    static func ask(_ question: String, in session: Session) -> Bool {
        guard let answer = session.input.readLine(prompt: question + " [y/N] ") else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
