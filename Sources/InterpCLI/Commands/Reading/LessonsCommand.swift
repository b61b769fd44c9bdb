import ArgumentParser
import Course
import Progress
import Foundation
import TerminalUI

struct LessonsCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "List the lessons by track, with your progress.")

    @Flag(help: "Print JSON instead of a list.") var json = false
    @OptionGroup var global: GlobalOptions

    struct Row: Encodable {
        var number: Int, id: String, title: String, track: Int, minutes: Int
        var prerequisites: [String], model: String?, status: String
        var firstOpenedAt: String?, completedAt: String?
    }

    func execute(in session: Session) throws {
        let course = try session.course()
        let progress = Dictionary(try session.database().lessonProgress().map { ($0.lessonID, $0) }) { a, _ in a }
        let summary = CourseSummary(course: course)
        let next = summary.nextLesson(completed: Set(progress.values.filter(\.isCompleted).map(\.lessonID)))

        if json {
            try session.printJSON(summary.lessons.map { l in
                let p = progress[l.id]
                return Row(number: l.number, id: l.id, title: l.title, track: l.track, minutes: l.minutes,
                           prerequisites: l.prerequisites, model: l.model, status: LessonStatus(p).rawValue,
                           firstOpenedAt: p.map { ISO8601Timestamp.string(from: $0.firstOpenedAt) },
                           completedAt: p?.completedAt.map(ISO8601Timestamp.string(from:)))
            })
            return
        }
        let idWidth = summary.lessons.map(\.id.count).max() ?? 0
        let markWidth = session.color ? 1 : 3
        let titleWidth = max(12, session.width - (2 + markWidth + 2 + 2 + 2 + idWidth + 2 + 8))
        var lines: [String] = []
        for (track, lessons) in summary.tracks {
            lines.append(session.style(CourseSummary.trackTitle(track), .bold + .underline))
            for l in lessons {
                let status = LessonStatus(progress[l.id])
                let isNext = l.id == next?.id
                var title = CellText.truncate(TerminalText.line(l.title), to: titleWidth - (isNext ? 7 : 0))
                if isNext { title += session.style("  ← next", .yellow) }
                let pad = String(repeating: " ", count: max(0, titleWidth - displayWidth(title)))
                lines.append("  \(status.mark(color: session.color))  " + String(format: "%02d", l.number) + "  "
                             + session.style(l.id.padding(toLength: idWidth, withPad: " ", startingAt: 0), .cyan)
                             + "  " + title + pad + String(format: "%4d min", l.minutes))
            }
            lines.append("")
        }
        let legend = session.color ? "✓ done, ◐ started" : "[x] done, [~] started"
        lines.append(session.style("read ID or read N opens a lesson; \(legend).", .dim))
        session.out(lines.joined(separator: "\n"))
    }
}

/// Where a learner stands with one lesson.
enum LessonStatus: String {
    case notStarted = "not-started", started, completed

    init(_ progress: LessonProgress?) {
        guard let p = progress else { self = .notStarted; return }
        self = p.isCompleted ? .completed : .started
    }

    func mark(color: Bool) -> String {
        switch self {
        case .completed: return color ? Style.green.apply("✓", enabled: true) : "[x]"
        case .started: return color ? Style.yellow.apply("◐", enabled: true) : "[~]"
        case .notStarted: return color ? "·" : "[ ]"
        }
    }
}
