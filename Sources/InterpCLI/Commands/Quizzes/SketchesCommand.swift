import ArgumentParser
import Course
import Foundation
import Progress
import TerminalUI

struct SketchesCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "sketches",
        abstract: "Your answer sketches, newest first (one question: beside its reference sketch).",
        discussion: "Sketches are the free-text answers you write in quizzes. 'sketches export' writes them all out as Markdown.",
        subcommands: [SketchesExportCommand.self])

    @Argument(help: "A sketch question's id, such as faithfulness.test-cot (default: every sketch).") var question: String?
    @Flag(help: "Print JSON.") var json = false
    @Option(help: ArgumentHelp("With 'sketches export': the format; only md (Markdown) for now.", valueName: "format"))
    var format: String?
    @Option(help: ArgumentHelp("With 'sketches export': write to this file (atomically) instead of stdout.", valueName: "file"))
    var out: String?
    @OptionGroup var global: GlobalOptions

    /// ArgumentParser gives a parent's positional argument precedence over its subcommands, so
    /// `sketches export` arrives here as the question "export" and is handed on.
    private var isExport: Bool { question == SketchesExportCommand.configuration.commandName }

    func validate() throws {
        if isExport {
            if json { throw ValidationError("'sketches export' writes Markdown; --json goes with 'sketches'") }
            try SketchesExportCommand.validate(format: format)
        } else if format != nil || out != nil {
            throw ValidationError("--format and --out go with 'sketches export'")
        }
    }

    /// One sketch, as `--json` prints it.
    struct Row: Encodable {
        var question: String
        var lesson: String
        var text: String
        /// 1–4, or null when unrated.
        @JSONNullable var rating: Int?
        var createdAt: String
        var durationMs: Int
        /// Rubric points whose key terms the sketch mentions, and how many there are (null when
        /// the question is no longer in the course).
        @JSONNullable var keyPointsMentioned: Int?
        @JSONNullable var keyPoints: Int?
    }

    func execute(in session: Session) throws {
        if isExport { return try SketchesExportCommand.export(out: out, in: session) }
        let course = try session.course()
        let database = try session.database()
        let questions = Dictionary(course.questions.map { ($0.id, $0) }) { first, _ in first }
        var sketches: [Sketch]
        var question: Question?
        if let id = self.question {
            sketches = try database.sketches(questionID: id)
            question = questions[id]
            if question == nil && sketches.isEmpty {
                let known = course.questions.filter { $0.type == .sketch }.map(\.id)
                    + Set(try database.sketches().map(\.questionID)).sorted()
                throw CLIError.noInput("no question '\(id)'" + Suggest.phrase(for: id, in: known))
            }
            if let question, question.type != .sketch {
                throw CLIError.usage("'\(id)' is a \(question.type.rawValue) question, not a sketch question")
            }
        } else {
            sketches = try database.sketches()
        }
        sketches.reverse()  // newest first

        if json {
            try session.printJSON(sketches.map { Self.row($0, question: questions[$0.questionID]) })
            return
        }
        guard !sketches.isEmpty else {
            session.out(self.question.map { "No sketches for '\($0)' yet: 'quiz' asks it." }
                        ?? "No sketches yet: sketch questions come up in 'quiz LESSON --type sketch' and 'quiz --interview'.")
            return
        }
        let view = SketchView(width: session.width, color: session.color)
        if let id = self.question {
            session.out(Self.oneQuestion(id: id, question: question, sketches: sketches, view: view, session: session))
        } else {
            let blocks = sketches.map { sketch in
                Self.attemptLines(sketch, question: questions[sketch.questionID], showID: true, width: session.width,
                                  session: session).joined(separator: "\n")
            }
            session.out(blocks.joined(separator: "\n\n"))
        }
    }

    static func row(_ sketch: Sketch, question: Question?) -> Row {
        let hints = rubric(of: question).map { SketchHints.hints(sketch: sketch.text, rubric: $0) }
        return Row(question: sketch.questionID, lesson: sketch.lessonID, text: sketch.text,
                   rating: sketch.selfRating?.rawValue, createdAt: ISO8601Timestamp.string(from: sketch.createdAt),
                   durationMs: sketch.durationMs, keyPointsMentioned: hints?.filter(\.mentioned).count,
                   keyPoints: hints?.count)
    }

    static func rubric(of question: Question?) -> [RubricPoint]? {
        if case let .sketch(_, rubric)? = question?.kind { return rubric }
        return nil
    }

    /// A sketch's heading line ("2026-01-31 09:05 · rated Good · 3/5 key points") and its text.
    static func attemptLines(_ sketch: Sketch, question: Question?, showID: Bool, width: Int,
                             session: Session) -> [String] {
        var parts = [QuizTimeText.timestamp(sketch.createdAt)]
        if showID { parts.append(session.style(sketch.questionID, .cyan)) }
        parts.append(sketch.selfRating.map { "rated \($0.name)" } ?? "unrated")
        if let rubric = rubric(of: question) {
            let found = SketchHints.hints(sketch: sketch.text, rubric: rubric).filter(\.mentioned).count
            parts.append("\(found)/\(rubric.count) key points")
        }
        let head = session.style(parts.joined(separator: " · "), .bold)
        let body = SketchView.plainLines(sketch.text, width: max(10, width - 2)).map { "  " + $0 }
        return wrap(head, width: max(10, width)) + body
    }

    /// One question: its prompt, then the attempts (newest first) beside the reference sketch.
    static func oneQuestion(id: String, question: Question?, sketches: [Sketch], view: SketchView,
                            session: Session) -> String {
        var out: [String] = []
        out.append(session.style(id, .cyan + .bold) + " · " + Text.plural(sketches.count, "sketch", "sketches"))
        if let question {
            out.append(QuizQuestionView(session: session).prompt(question))
        } else {
            out.append(session.style("(this question is no longer in the course)", .dim))
        }
        out.append("")
        let attempts: (Int) -> [String] = { width in
            sketches.enumerated().flatMap { index, sketch in
                (index == 0 ? [] : [""])
                    + attemptLines(sketch, question: question, showID: false, width: width, session: session)
            }
        }
        guard case let .sketch(reference, _)? = question?.kind else {
            out += attempts(session.width)
            return out.joined(separator: "\n")
        }
        out.append(view.columns(leftTitle: "Your sketches, newest first", left: attempts,
                                rightTitle: "Reference sketch", right: { view.markdownLines(reference, width: $0) }))
        return out.joined(separator: "\n")
    }
}
