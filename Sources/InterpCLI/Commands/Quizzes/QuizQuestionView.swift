import Course
import Foundation
import Progress
import TerminalUI

/// How a quiz question and the feedback on an answer look in the terminal. Pure text: the runner
/// prints it.
struct QuizQuestionView {
    let width: Int
    let color: Bool

    init(session: Session) {
        width = session.width
        color = session.color
    }

    init(width: Int, color: Bool) {
        self.width = width
        self.color = color
    }

    private func style(_ text: String, _ style: Style) -> String { style.apply(text, enabled: color) }

    private func markdown(_ text: String, width: Int) -> String {
        var rendered = MarkdownRenderer(width: max(MarkdownRenderer.minimumWidth, width), color: color).render(text)
        while rendered.hasSuffix("\n") { rendered.removeLast() }
        return rendered
    }

    /// What the learner is asked to give, by question type.
    static func typeLabel(_ question: Question) -> String {
        switch question.kind {
        case .single: return "single choice — answer with one letter"
        case .multiple: return "multiple choice — give all letters that apply"
        case .truefalse: return "true or false"
        case let .numeric(_, _, unit):
            return "numeric — answer with a number" + (unit.map { " (in \(TerminalText.line($0)))" } ?? "")
        case .short: return "short answer — a word or phrase"
        case .order: return "ordering — every letter once, in the right order"
        case .sketch: return "sketch — write a short answer; end it with a line holding only ."
        }
    }

    /// The first line shown for a question: position, id, difficulty and tags, plus a clock in
    /// interviews ("14:05 left").
    func header(position: String, question: Question, clock: String? = nil) -> String {
        var parts = [style(position, .bold)]
        if let clock { parts.append(style(clock, .yellow)) }
        parts.append(style(question.id, .cyan))
        parts.append(question.difficulty.rawValue)
        let head = parts.joined(separator: " · ")
        let room = width - displayWidth(head) - 3
        guard room >= 8 else { return head }
        return head + style(" · " + CellText.truncate(TerminalText.line(question.tags.joined(separator: ", ")), to: room), .dim)
    }

    /// The rendered prompt alone.
    func prompt(_ question: Question) -> String {
        markdown(question.prompt, width: width)
    }

    /// The question: its type, the rendered prompt and the choices or items in displayed order.
    func body(_ question: Question, presentation: Presentation) -> String {
        var lines = [style(Self.typeLabel(question), .dim), "", markdown(question.prompt, width: width)]
        if !presentation.entries.isEmpty {
            lines.append("")
            lines += entryLines(presentation.entries.enumerated().map { ($0.offset, $0.element) })
        }
        return lines.joined(separator: "\n")
    }

    /// Lettered entries with a hanging indent: "  a) text".
    private func entryLines(_ entries: [(index: Int, text: String)]) -> [String] {
        entries.map { index, text in
            let rendered = markdown(text, width: width - 5).split(separator: "\n", omittingEmptySubsequences: false)
            let label = "  " + style(AnswerParsing.letter(index) + ")", .bold) + " "
            return rendered.enumerated().map { $0.offset == 0 ? label + $0.element : "     " + $0.element }
                .joined(separator: "\n")
        }
    }

    /// The verdict, the correct answer and the explanation.
    func feedback(_ question: Question, presentation: Presentation, correct: Bool, understood: String,
                  expected: String) -> String {
        var lines: [String] = []
        if correct {
            lines.append(style(color ? "✓ Correct." : "Correct.", .green + .bold))
        } else {
            lines.append(style(color ? "✗ Not right" : "Not right", .red + .bold) + " — you answered \(TerminalText.line(understood)).")
        }
        lines += answerLines(question, presentation: presentation, expected: expected)
        lines += ["", markdown(question.explanation, width: width)]
        return lines.joined(separator: "\n")
    }

    /// "Answer: b" and, for choices and items, their text.
    private func answerLines(_ question: Question, presentation: Presentation, expected: String) -> [String] {
        let head = style("Answer:", .bold) + " " + TerminalText.line(expected)
        switch question.kind {
        case let .single(_, answer):
            return [head] + entryLines(displayed(authored: [answer], presentation))
        case let .multiple(_, answers):
            return [head] + entryLines(displayed(authored: answers, presentation).sorted { $0.index < $1.index })
        case let .order(items):
            return [head] + entryLines(displayed(authored: Array(items.indices), presentation))
        case let .short(accepted) where accepted.count > 1:
            return [head + style("  (also accepted: " + TerminalText.line(accepted.dropFirst().joined(separator: "; ")) + ")", .dim)]
        case .short, .truefalse, .numeric, .sketch:
            return [head]
        }
    }

    /// Authored indices as (displayed index, text) pairs, in the order given.
    private func displayed(authored: [Int], _ presentation: Presentation) -> [(index: Int, text: String)] {
        authored.compactMap { index in
            presentation.displayedIndex(authored: index).map { ($0, presentation.entries[$0]) }
        }
    }

    /// The explanation under a heading (shown after a sketch, where there is no verdict).
    func explanationBlock(_ question: Question) -> String {
        style("Why", .bold) + "\n" + markdown(question.explanation, width: width)
    }

    /// "Rated Good · next review in 10 min".
    func ratingLine(_ rating: Rating, due: Date, from now: Date) -> String {
        style("Rated \(rating.name) · next review \(QuizTimeText.until(due.timeIntervalSince(now)))", .dim)
    }
}
