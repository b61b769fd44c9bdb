import Course
import Foundation
import Progress
import TerminalUI

/// What became of one question in a quiz run.
struct QuizOutcome {
    enum Result: Equatable {
        /// An objective answer, graded, and the rating its card got.
        case answered(correct: Bool, rating: Rating)
        /// A sketch and the learner's rating of it (nil: left unrated).
        case sketched(rating: Rating?)
        case skipped
    }

    let question: Question
    let result: Result
    /// When the question's card is next due, if it was reviewed.
    let due: Date?

    /// Why the learner should look at this question again, or nil when it went well.
    var reviewReason: String? {
        switch result {
        case .answered(false, _): return "wrong"
        case .answered(true, .again), .answered(true, .hard): return "right, but rated \(ratingName)"
        case .answered: return nil
        case .sketched(nil): return "sketch not rated"
        case .sketched(.some(let rating)) where rating == .again || rating == .hard: return "sketch rated \(rating.name)"
        case .sketched: return nil
        case .skipped: return "skipped"
        }
    }

    private var ratingName: String {
        if case .answered(_, let rating) = result { return rating.name }
        return ""
    }
}

/// The end of a quiz run: score, time, what to review.
struct QuizSummary {
    var outcomes: [QuizOutcome] = []
    /// How many questions the run meant to ask; nil for an interview, which asks until time is up.
    var planned: Int?
    /// The question (1-based) at which the learner quit or input ended, if before the end.
    var stoppedAt: Int?
    /// An interview ran out of time.
    var timeUp = false
    var seconds: TimeInterval = 0

    var graded: Int { outcomes.filter { if case .answered = $0.result { true } else { false } }.count }
    var correct: Int { outcomes.filter { if case .answered(true, _) = $0.result { true } else { false } }.count }
    var skipped: Int { outcomes.filter { $0.result == .skipped }.count }
    var sketchRatings: [Rating?] {
        outcomes.compactMap { if case .sketched(let rating) = $0.result { return .some(rating) } else { return nil } }
    }

    /// The summary as text, `width` columns wide.
    func render(width: Int, color: Bool, now: Date) -> String {
        func style(_ text: String, _ s: Style) -> String { s.apply(text, enabled: color) }
        var lines = [style("Summary", .bold)]
        func row(_ label: String, _ value: String) {
            lines.append("  " + label.padding(toLength: 10, withPad: " ", startingAt: 0) + value)
        }
        if graded > 0 {
            let percent = Int((Double(correct) / Double(graded) * 100).rounded())
            row("Score", "\(correct) of \(graded) right (\(percent) %)")
        }
        let sketches = sketchRatings
        if !sketches.isEmpty {
            let names = sketches.map { $0?.name ?? "unrated" }
            row("Sketches", "\(sketches.count), rated " + names.joined(separator: ", "))
        }
        if skipped > 0 { row("Skipped", "\(skipped)") }
        if outcomes.isEmpty { row("Answered", "nothing") }
        row("Time", QuizTimeText.duration(seconds))
        if timeUp {
            lines.append("  Time ran out after \(Text.plural(outcomes.count, "question")).")
        } else if let stoppedAt {
            let of = planned.map { " of \($0)" } ?? ""
            lines.append("  Stopped at question \(stoppedAt)\(of). Your answers so far are saved.")
        }

        let review = outcomes.compactMap { outcome in outcome.reviewReason.map { (outcome.question, $0) } }
        lines.append("")
        if review.isEmpty {
            lines.append(outcomes.isEmpty ? "Nothing was answered." : "Nothing to review from this run.")
        } else {
            lines.append(style("To review", .bold))
            for (question, reason) in review {
                let head = "  • " + style(question.id, .cyan) + " — " + reason
                let room = width - displayWidth(head) - 2
                let gist = room >= 12 ? ": " + CellText.truncate(Self.gist(of: question.prompt), to: room) : ""
                lines.append(head + gist)
            }
        }
        if let next = outcomes.compactMap(\.due).min() {
            let text = "Next review of these questions \(QuizTimeText.until(next.timeIntervalSince(now))); "
                + "'quiz --due' asks whatever is due."
            lines += wrap(text, width: max(20, width)).map { style($0, .dim) }
        }
        return lines.joined(separator: "\n")
    }

    /// The first line of a prompt as plain text.
    static func gist(of prompt: String) -> String {
        let rendered = MarkdownRenderer(width: 1000, color: false).render(prompt)
        return rendered.split(separator: "\n").first.map(String.init) ?? ""
    }
}
