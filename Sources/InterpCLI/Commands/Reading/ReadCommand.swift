import ArgumentParser
import Course
import Foundation
import TerminalUI

struct ReadCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Render a lesson in the terminal (by id, or by number: read 3).")

    @Argument(help: "Lesson id or number.") var lesson: String
    @Option(help: "Show only the Nth section (H2 heading).") var section: Int?
    @Flag(help: "Print the Markdown source instead of rendering it.") var raw = false
    @Flag(name: .customLong("no-pager"), help: "Do not page long lessons on a terminal.") var noPager = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let course = try session.course()
        let target = try LessonLookup.find(lesson, in: course)
        try LessonView.show(target, section: section, raw: raw, page: !noPager, in: session)
    }
}

/// Finding a lesson by what the learner typed, with "did you mean".
enum LessonLookup {
    static func find(_ reference: String, in course: Course) throws -> Lesson {
        let summary = CourseSummary(course: course)
        if let l = summary.lesson(matching: reference) { return l }
        // The lesson's file was refused (and named on stderr when the course loaded).
        if let problem = course.overLimitProblem(forLesson: reference) { throw CLIError.data(problem.description).silent }
        let hint = summary.suggestion(for: reference).map { "; did you mean '\($0)'?" } ?? " (see 'lessons')"
        throw CLIError.noInput("no lesson '\(reference)'" + hint)
    }
}
