import Course
import Foundation
import Progress
import TerminalUI

/// The quiz loop: asks questions one at a time, gives feedback at once, and saves each answer
/// with its FSRS review in one transaction before the next question, so killing the process loses
/// at most the question being answered.
final class QuizRunner {
    /// What kind of run this is.
    enum Mode {
        case lesson(Lesson)
        case due
        /// A mock interview that ends once `seconds` have passed.
        case interview(seconds: TimeInterval)
    }

    private let session: Session
    private let questions: [Question]
    private let mode: Mode
    private let seed: UInt64
    private let scheduler: FSRSScheduler
    private let database: AppDatabase
    private let clock: QuizClock
    private let view: QuizQuestionView
    private let input: QuizAnswerInput
    private let sessionID = UUID().uuidString

    /// - Parameter seed: shuffles the choices (the same seed always shows the same order).
    init(session: Session, questions: [Question], mode: Mode, seed: UInt64, scheduler: FSRSScheduler,
         database: AppDatabase, clock: QuizClock) {
        self.session = session
        self.questions = questions
        self.mode = mode
        self.seed = seed
        self.scheduler = scheduler
        self.database = database
        self.clock = clock
        self.view = QuizQuestionView(session: session)
        self.input = QuizAnswerInput(source: session.input, note: { session.out($0) })
    }

    /// What to do after a question.
    private enum Step {
        case next(QuizOutcome)
        case stop(QuizOutcome?)
    }

    /// Asks every question (or until the learner quits, input ends or an interview's time is up).
    func run() throws -> QuizSummary {
        var summary = QuizSummary()
        if case .interview = mode {} else { summary.planned = questions.count }
        for line in wrap(introduction(), width: session.width) { session.out(line) }
        for (index, question) in questions.enumerated() {
            session.out()
            session.out(view.header(position: position(index), question: question, clock: clockText))
            let presentation = question.presentation(seed: seed)
            session.out(view.body(question, presentation: presentation))
            session.out()
            let step = question.type == .sketch
                ? try askSketch(question)
                : try askObjective(question, presentation: presentation)
            switch step {
            case .next(let outcome):
                summary.outcomes.append(outcome)
            case .stop(let outcome):
                if let outcome { summary.outcomes.append(outcome) }
                if index + 1 < questions.count || outcome == nil { summary.stoppedAt = index + 1 }
            }
            if case .stop = step { break }
            // Time is checked between questions: the answer being written when it ran out counts.
            if isTimeUp, index + 1 < questions.count {
                summary.timeUp = true
                break
            }
        }
        if summary.timeUp {
            session.out()
            session.out(session.style(session.color ? "⏰ Time is up." : "Time is up.", .yellow + .bold))
        }
        summary.seconds = clock.elapsed
        return summary
    }

    // MARK: - Framing

    private func introduction() -> String {
        let count = Text.plural(questions.count, "question")
        let how = session.isInteractive ? " Type skip to pass a question, quit to stop." : ""
        switch mode {
        case .lesson(let lesson):
            return session.style("Quiz: \(TerminalText.line(lesson.title))", .bold) + " — \(count).\(how)"
        case .due:
            return session.style("Reviews due", .bold) + " — \(count), most overdue first.\(how)"
        case .interview(let seconds):
            return session.style("Mock interview", .bold) + " — \(QuizTimeText.duration(seconds)), "
                + "conceptual and sketch questions from every lesson.\(how)"
        }
    }

    private func position(_ index: Int) -> String {
        if case .interview = mode { return "Question \(index + 1)" }
        return "Question \(index + 1) of \(questions.count)"
    }

    private var clockText: String? {
        guard case .interview(let seconds) = mode else { return nil }
        return QuizTimeText.countdown(seconds - clock.elapsed) + " left"
    }

    private var isTimeUp: Bool {
        guard case .interview(let seconds) = mode else { return false }
        return clock.elapsed >= seconds
    }

    // MARK: - Objective questions

    private func askObjective(_ question: Question, presentation: Presentation) throws -> Step {
        let shownAt = clock.elapsed
        while true {
            let reply = input.answer(prompt: "answer› ")
            let text: String
            switch reply {
            case .quit: return .stop(nil)
            case .skip: return .next(QuizOutcome(question: question, result: .skipped, due: nil))
            case .text(let typed): text = typed
            }
            switch question.grade(text, presentation: presentation) {
            case .invalid(let message):
                session.out(session.style(message.prefix(1).uppercased() + message.dropFirst() + ".", .yellow))
            case let .graded(correct, understood, expected):
                let answeredAt = clock.now()
                let duration = milliseconds(since: shownAt)
                if session.isInteractive { session.out() }
                session.out(view.feedback(question, presentation: presentation, correct: correct,
                                          understood: understood, expected: expected))
                session.out()
                let proposed = Rating.forAnswer(correct: correct)
                let (rating, stop) = input.rating(
                    proposed: proposed, prompt: "rating: \(proposed.name) — Enter to keep, or a/h/g/e› ")
                let attempt = QuizAttempt(
                    questionID: question.id, lessonID: question.lesson, kind: question.type.rawValue,
                    response: Self.authoredResponse(text, question: question, presentation: presentation),
                    correct: correct, rating: rating, durationMs: duration, answeredAt: answeredAt,
                    sessionID: sessionID)
                let review = try database.recordAnswer(attempt, scheduler: scheduler).review
                session.out(view.ratingLine(rating, due: review.card.due, from: answeredAt))
                let outcome = QuizOutcome(question: question, result: .answered(correct: correct, rating: rating),
                                          due: review.card.due)
                return stop ? .stop(outcome) : .next(outcome)
            }
        }
    }

    /// The response as stored: letters in the quiz file's order for choices and items (so history
    /// stays meaningful whatever the shuffle), otherwise the text as typed, trimmed.
    static func authoredResponse(_ text: String, question: Question, presentation: Presentation) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // A single choice may be written "(b)" or "b.".
        let cleaned = question.type == .single ? trimmed.filter(\.isLetter) : trimmed
        guard !question.entries.isEmpty, let letters = AnswerParsing.letters(cleaned) else { return trimmed }
        let authored = letters.compactMap(presentation.authoredIndex(displayed:))
        switch question.type {
        case .multiple: return Array(Set(authored)).sorted().map(AnswerParsing.letter).joined(separator: ", ")
        case .order: return authored.map(AnswerParsing.letter).joined(separator: " ")
        default: return authored.map(AnswerParsing.letter).joined()
        }
    }

    // MARK: - Sketch questions

    private func askSketch(_ question: Question) throws -> Step {
        guard case let .sketch(reference, rubric) = question.kind else {
            return .next(QuizOutcome(question: question, result: .skipped, due: nil))
        }
        let shownAt = clock.elapsed
        var text = ""
        while text.isEmpty {
            switch input.sketch(prompt: "… ") {
            case .quit: return .stop(nil)
            case .skip: return .next(QuizOutcome(question: question, result: .skipped, due: nil))
            case .text(let typed):
                text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
                if text.isEmpty {
                    session.out(session.style("The sketch is empty: write a few lines, or type skip.", .yellow))
                }
            }
        }
        let submittedAt = clock.now()
        let duration = milliseconds(since: shownAt)
        let sketchView = SketchView(width: session.width, color: session.color)
        session.out()
        session.out(sketchView.comparison(sketch: text, reference: reference))
        session.out()
        session.out(sketchView.rubric(SketchHints.hints(sketch: text, rubric: rubric)))
        session.out()
        session.out(view.explanationBlock(question))
        session.out()
        if session.isInteractive {
            session.out("How did you do? a Again · h Hard · g Good · e Easy (or 1–4); skip leaves it unrated.")
        }
        let (rating, stop) = input.selfRating(prompt: "rating› ")
        let sketch = Sketch(questionID: question.id, lessonID: question.lesson, text: text, selfRating: rating,
                            createdAt: submittedAt, durationMs: duration)
        let review = try database.recordSketch(sketch, scheduler: scheduler).review
        if let rating, let review {
            session.out(view.ratingLine(rating, due: review.card.due, from: submittedAt))
        } else {
            session.out(session.style("Sketch saved, unrated (no review scheduled).", .dim))
        }
        let outcome = QuizOutcome(question: question, result: .sketched(rating: rating), due: review?.card.due)
        return stop ? .stop(outcome) : .next(outcome)
    }

    private func milliseconds(since start: TimeInterval) -> Int {
        Int(max(0, (clock.elapsed - start) * 1000).rounded())
    }
}
