import ArgumentParser
import Course
import Foundation
import Progress
import TerminalUI

struct SketchesExportCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every sketch out, grouped by question, with the reference sketches.",
        discussion: "Without --out the document goes to stdout. With --out the file is replaced atomically (written beside it, then renamed).")

    @Option(help: ArgumentHelp("Output format; only md (Markdown) for now.", valueName: "format")) var format = "md"
    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file")) var out: String?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try Self.validate(format: format)
    }

    static func validate(format: String?) throws {
        guard let format, !["md", "markdown"].contains(format.lowercased()) else { return }
        throw ValidationError("--format: '\(format)' is not supported; use md")
    }

    func execute(in session: Session) throws {
        try Self.export(out: out, in: session)
    }

    /// Writes the Markdown document to `out`, or to stdout.
    static func export(out: String?, in session: Session) throws {
        let course = try session.course()
        let sketches = try session.database().sketches()
        let document = SketchExport.markdown(sketches: sketches, course: course, exportedAt: try session.now())
        guard let out else {
            // The document as it is for a pipe; on a terminal, made safe to show.
            session.out(session.stdoutIsTTY ? TerminalText.block(document) : document, terminator: "")
            return
        }
        try SketchExport.writeAtomically(document, to: out)
        let questions = Set(sketches.map(\.questionID)).count
        session.out("Wrote \(Text.plural(sketches.count, "sketch", "sketches")) for "
                    + "\(Text.plural(questions, "question")) to \(out).")
    }
}

/// Sketches as a Markdown document.
enum SketchExport {
    /// Every question with sketches, in course order (questions no longer in the course last, by
    /// id): its prompt, reference sketch and key points, then the learner's sketches, newest
    /// first, as block quotes so their text cannot break the document's structure.
    static func markdown(sketches: [Sketch], course: Course, exportedAt: Date) -> String {
        let byQuestion = Dictionary(grouping: sketches, by: \.questionID)
        let courseOrder = course.questions.map(\.id).filter { byQuestion[$0] != nil }
        let orphans = byQuestion.keys.filter { id in !courseOrder.contains(id) }.sorted()
        let questions = Dictionary(course.questions.map { ($0.id, $0) }) { first, _ in first }

        var lines = ["# Answer sketches", ""]
        lines.append("Exported \(ISO8601Timestamp.string(from: exportedAt)): \(Text.plural(sketches.count, "sketch", "sketches")) "
                     + "for \(Text.plural(byQuestion.count, "question")), newest first under each question.")
        for id in courseOrder + orphans {
            let question = questions[id]
            lines += ["", "## \(id)", ""]
            guard let question else {
                lines.append("*This question is no longer in the course.*")
                lines += mine(byQuestion[id] ?? [], rubric: nil)
                continue
            }
            lines += ["Lesson: `\(question.lesson)`", "", "### Question", "", trimmed(question.prompt)]
            var rubric: [RubricPoint]?
            if case let .sketch(reference, points) = question.kind {
                rubric = points
                lines += ["", "### Reference sketch", "", trimmed(reference), "", "Key points:", ""]
                lines += points.map { "- \($0.point)" }
            }
            lines += mine(byQuestion[id] ?? [], rubric: rubric)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func mine(_ sketches: [Sketch], rubric: [RubricPoint]?) -> [String] {
        var lines = ["", "### Your sketches"]
        for sketch in sketches.reversed() {
            var head = "#### \(ISO8601Timestamp.string(from: sketch.createdAt)) — "
                + (sketch.selfRating.map { "rated \($0.name)" } ?? "unrated")
            if let rubric {
                let found = SketchHints.hints(sketch: sketch.text, rubric: rubric).filter(\.mentioned).count
                head += " — mentions \(found) of \(rubric.count) key points"
            }
            lines += ["", head, ""]
            lines += sketch.text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? ">" : "> " + $0 }
        }
        return lines
    }

    private static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `text` to `path` through a temporary file in the same directory and a rename, so the
    /// file is either the old one or the whole new one.
    static func writeAtomically(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CLIError.usage("--out \(path): is a directory")
        }
        let parent = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.io("--out \(path): no such directory \(parent)")
        }
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            let reason = (error as NSError).localizedDescription.split(whereSeparator: \.isNewline).joined(separator: " ")
            throw CLIError.io("--out \(path): cannot write the file: \(reason)")
        }
    }
}
