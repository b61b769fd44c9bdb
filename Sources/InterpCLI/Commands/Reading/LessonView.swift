import Course
import Foundation
import TerminalUI

/// Shows a lesson (or one section of it) and records that the learner opened it.
enum LessonView {
    static func show(_ lesson: Lesson, section: Int?, raw: Bool, page: Bool, in session: Session) throws {
        var markdown = lesson.body
        if let n = section {
            guard let s = lesson.section(n) else {
                let count = lesson.sections.count
                throw CLIError.usage("'\(lesson.id)' has \(count) section\(count == 1 ? "" : "s"); section \(n) does not exist")
            }
            markdown = sectionText(of: lesson, section: s)
        }
        let text: String
        if raw {
            // The source as it is for a pipe or a file; on a terminal, made safe to show.
            text = session.stdoutIsTTY ? TerminalText.block(markdown) : markdown
        } else {
            let renderer = MarkdownRenderer(width: session.width, color: session.color,
                                            hyperlinks: session.color && session.stdoutIsTTY,
                                            numberRunnableBlocks: true)
            text = header(lesson, section: section, in: session) + renderer.render(markdown)
        }

        let db = try session.database()
        let now = try session.now()
        try db.markOpened(lesson.id, at: now)
        if let n = section { try db.setLastSection(n, of: lesson.id, at: now) }
        if session.currentLessonID != lesson.id { session.nextRunBlock = 1 }
        session.currentLessonID = lesson.id
        session.currentSection = section

        if page && session.isInteractive && session.stdoutIsTTY {
            Pager.show(text, environment: session.environment)
        } else {
            session.out(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }

    /// The lesson's number, track, reading time and where it leads.
    static func header(_ lesson: Lesson, section: Int?, in session: Session) -> String {
        var parts = [String(format: "Lesson %02d", lesson.number), CourseSummary.trackTitle(lesson.track), "\(lesson.minutes) min"]
        if let m = lesson.model { parts.append("model: \(m)") }
        if let n = section, let s = lesson.section(n) { parts.append("section \(n)/\(lesson.sections.count): \(s.title)") }
        return session.style(TerminalText.line(parts.joined(separator: " · ")), .dim) + "\n\n"
    }

    /// The Markdown of one H2 section: from its heading to the next H2 heading.
    static func sectionText(of lesson: Lesson, section: Lesson.Section) -> String {
        let lines = lesson.body.split(separator: "\n", omittingEmptySubsequences: false)
        let start = max(0, section.line - lesson.bodyStartLine)
        let end = lesson.section(section.index + 1).map { max(start, $0.line - lesson.bodyStartLine) } ?? lines.count
        guard start < lines.count else { return "" }
        return lines[start..<min(end, lines.count)].joined(separator: "\n")
    }
}
