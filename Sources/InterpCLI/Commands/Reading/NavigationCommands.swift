import ArgumentParser
import Course
import Foundation
import TerminalUI

// Moving through the course: next, prev, section, done.

struct NextCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Mark the current lesson done and open the next one.")
    @Flag(name: .customLong("no-pager"), help: "Do not page long lessons on a terminal.") var noPager = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let course = try session.course()
        let summary = CourseSummary(course: course)
        let target: Lesson
        if let current = try session.currentLesson(in: course) {
            try session.database().markCompleted(current.id, at: try session.now())
            guard let n = summary.neighbour(of: current.id, offset: 1) else {
                session.out("'\(current.id)' is the last lesson, now marked done. Well done! Try 'quiz --due' or 'stats'.")
                return
            }
            target = n
        } else {
            guard let first = summary.nextLesson(completed: try session.completedLessons()) ?? summary.lessons.first else {
                throw CLIError.noInput("the course has no lessons")
            }
            target = first
        }
        try LessonView.show(target, section: nil, raw: false, page: !noPager, in: session)
    }
}

struct PrevCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "prev",
        abstract: "Open the lesson before the current one.")
    @Flag(name: .customLong("no-pager"), help: "Do not page long lessons on a terminal.") var noPager = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let course = try session.course()
        guard let current = try session.currentLesson(in: course) else {
            throw CLIError.usage("no current lesson: open one with 'read ID' first")
        }
        guard let p = CourseSummary(course: course).neighbour(of: current.id, offset: -1) else {
            throw CLIError.usage("'\(current.id)' is the first lesson")
        }
        try LessonView.show(p, section: nil, raw: false, page: !noPager, in: session)
    }
}

struct SectionCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "section",
        abstract: "Jump to the Nth section of the current lesson (no N: list the sections).")
    @Argument(help: "Section number (1 = first H2 heading).") var number: Int?
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let course = try session.course()
        guard let current = try session.currentLesson(in: course) else {
            throw CLIError.usage("no current lesson: open one with 'read ID' first")
        }
        guard let n = number else {
            session.out(session.style(TerminalText.line(current.title), .bold))
            for s in current.sections { session.out(String(format: "%3d  ", s.index) + TerminalText.line(s.title)) }
            return
        }
        try LessonView.show(current, section: n, raw: false, page: true, in: session)
    }
}

struct DoneCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "Mark a lesson (default: the current one) as done.")
    @Argument(help: "Lesson id or number.") var lesson: String?
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let course = try session.course()
        let target: Lesson
        if let ref = lesson { target = try LessonLookup.find(ref, in: course) }
        else if let c = try session.currentLesson(in: course) { target = c }
        else { throw CLIError.usage("no current lesson: name one, e.g. 'done welcome'") }
        let db = try session.database()
        let now = try session.now()
        try db.markOpened(target.id, at: now)
        try db.markCompleted(target.id, at: now)
        session.out("Marked '\(target.id)' done.")
    }
}
