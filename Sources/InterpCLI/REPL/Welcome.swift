import Course
import Foundation
import Progress
import TerminalUI

/// The screen a learner sees when the REPL starts: where they stand and what is next.
enum Welcome {
    static func show(in session: Session) {
        session.out(session.style("interp", .bold + .cyan) + " — a terminal course in LLM interpretability")
        session.out()
        do {
            session.out(try summary(in: session))
        } catch {
            // The REPL still starts; the problem is named once and each command reports it again.
            session.err("interp: \(error)")
        }
        session.out(session.style("Type 'help' for commands, 'quit' or Ctrl-D to leave.", .dim))
        session.out()
    }

    static func summary(in session: Session) throws -> String {
        let course = try session.course()
        let db = try session.database()
        let now = try session.now()
        let progress = try db.lessonProgress()
        let completed = Set(progress.filter(\.isCompleted).map(\.lessonID))
        let summary = CourseSummary(course: course)
        var lines: [String] = []

        let tracks = ProgressCommand.tracks(summary: summary, progress: progress)
        lines.append(ProgressView.render(tracks: tracks, in: session))
        lines.append("")

        var next: [String] = []
        let current = try session.currentLesson(in: course).flatMap { completed.contains($0.id) ? nil : $0 }
        if let c = current {
            next.append("continue " + session.style(TerminalText.line(c.title), .bold) + " — " + session.style("read \(c.id)", .cyan))
        } else if let n = summary.nextLesson(completed: completed) {
            let verb = completed.isEmpty ? "start with" : "next lesson:"
            next.append("\(verb) " + session.style(TerminalText.line(n.title), .bold) + " — " + session.style("read \(n.id)", .cyan))
        } else if !summary.lessons.isEmpty {
            next.append("every lesson is done")
        }
        let due = try db.dueCount(at: now)
        if due > 0 {
            next.append(Text.plural(due, "review") + " due — " + session.style("quiz --due", .cyan))
        }
        let exercises = try ExerciseTotals.load(in: session)
        if let open = exercises.unfinished.first {
            next.append("unfinished exercise " + session.style(open, .bold) + " — " + session.style("ex show \(open)", .cyan))
        }
        lines.append(contentsOf: next.map { "  → " + $0 })
        if exercises.total > 0 { lines.append("  " + session.style(exercises.line, .dim)) }
        return lines.joined(separator: "\n") + "\n"
    }
}
