import Progress
import TerminalUI

/// What the learner typed where an answer was expected.
enum QuizReply: Equatable {
    case text(String)
    /// `skip`: go to the next question without answering.
    case skip
    /// `quit`, Ctrl-C or the end of input: stop the quiz (answers so far are kept).
    case quit
}

/// Reads answers and ratings, one line at a time, from the session's line source (the terminal, or
/// the same pipe a scripted session feeds commands through). Prompts show only on a terminal.
struct QuizAnswerInput {
    let source: LineSource
    /// Where notes such as "answer with a letter a–d" go.
    let note: (String) -> Void

    /// `skip` and `quit` (any case, surrounding spaces ignored), else the text as typed.
    static func classify(_ text: String) -> QuizReply {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "skip": return .skip
        case "quit": return .quit
        default: return .text(text)
        }
    }

    /// One answer line.
    func answer(prompt: String) -> QuizReply {
        guard case .line(let text) = source.read(prompt: prompt) else { return .quit }
        return Self.classify(text)
    }

    /// A multi-line sketch: lines until one holding only `.` (on a terminal `:e` opens `$EDITOR`).
    /// A first line holding only `skip` or `quit` acts at once.
    func sketch(prompt: String) -> QuizReply {
        let watcher = FirstLineCommandSource(base: source)
        let text = Prompter(source: watcher).multiline(prompt: prompt)
        if let command = watcher.command { return command }
        guard let text else { return .quit }
        return .text(text)
    }

    /// A rating typed as a letter (a/h/g/e), a digit (1–4) or a name (again, hard, good, easy).
    static func parseRating(_ text: String) -> Rating? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "a", "1", "again": return .again
        case "h", "2", "hard": return .hard
        case "g", "3", "good": return .good
        case "e", "4", "easy": return .easy
        default: return nil
        }
    }

    /// The rating line after an objective answer: an empty line keeps `proposed`, a rating changes
    /// it, `quit` keeps it and asks to stop. At the end of input the proposed rating is kept and
    /// `stop` is true.
    func rating(proposed: Rating, prompt: String) -> (rating: Rating, stop: Bool) {
        while true {
            guard case .line(let text) = source.read(prompt: prompt) else { return (proposed, true) }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return (proposed, false) }
            if Self.classify(trimmed) == .quit { return (proposed, true) }
            if let rating = Self.parseRating(trimmed) { return (rating, false) }
            note("Rate with a (Again), h (Hard), g (Good) or e (Easy), or 1–4; Enter keeps \(proposed.name).")
        }
    }

    /// The learner's rating of their sketch, which has no default. `skip` leaves it unrated; `quit`
    /// and the end of input leave it unrated and ask to stop.
    func selfRating(prompt: String) -> (rating: Rating?, stop: Bool) {
        while true {
            guard case .line(let text) = source.read(prompt: prompt) else { return (nil, true) }
            switch Self.classify(text) {
            case .skip: return (nil, false)
            case .quit: return (nil, true)
            case .text(let typed):
                if let rating = Self.parseRating(typed) { return (rating, false) }
                note("Rate your sketch: a (Again), h (Hard), g (Good) or e (Easy), or 1–4.")
            }
        }
    }
}

/// Passes lines through, but turns a first line of `skip` or `quit` into the end of a multi-line
/// answer and remembers it.
private final class FirstLineCommandSource: LineSource {
    let base: LineSource
    private(set) var command: QuizReply?
    private var first = true

    init(base: LineSource) { self.base = base }

    var isInteractive: Bool { base.isInteractive }

    func read(prompt: String) -> LineInput {
        let input = base.read(prompt: prompt)
        guard first, case .line(let text) = input else { return input }
        first = false
        let reply = QuizAnswerInput.classify(text)
        guard reply != .text(text) else { return input }
        command = reply
        return .line(Prompter.terminator)
    }
}
