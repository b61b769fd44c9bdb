/// The outcome of grading one response to an objective question.
public enum GradeResult: Sendable, Hashable {
    /// A response that was understood. `understood` echoes it in normal form and `expected` is the
    /// correct answer, both in the learner's (displayed) letters.
    case graded(correct: Bool, understood: String, expected: String)
    /// A response that could not be read as an answer (for example "z" for choices a–d). It does not
    /// count as wrong; `message` tells the learner how to answer.
    case invalid(message: String)

    /// True only for a correct graded response.
    public var correct: Bool {
        if case .graded(true, _, _) = self { return true }
        return false
    }

    /// False for a response that could not be read.
    public var isValid: Bool {
        if case .graded = self { return true }
        return false
    }
}

extension Question {
    /// Grades a learner's response. With a `presentation`, letters are read in its displayed order;
    /// without one (or with one that does not fit this question), in authored order. Sketch
    /// questions are self-rated and always give `.invalid`.
    public func grade(_ response: String, presentation: Presentation? = nil) -> GradeResult {
        let shown = fitting(presentation)
        let text = response.trimmingWhitespace
        switch kind {
        case let .single(choices, answer):
            return gradeSingle(text, count: choices.count, answer: answer, shown: shown)
        case let .multiple(choices, answers):
            return gradeMultiple(text, count: choices.count, answers: answers, shown: shown)
        case let .truefalse(answer):
            guard let value = AnswerParsing.boolean(text) else { return .invalid(message: "answer true or false") }
            return .graded(correct: value == answer, understood: String(value), expected: String(answer))
        case let .numeric(answer, tolerance, unit):
            return gradeNumeric(text, answer: answer, tolerance: tolerance, unit: unit)
        case let .short(accepted):
            let normal = AnswerParsing.normaliseShort(text)
            guard !normal.isEmpty else { return .invalid(message: "type an answer") }
            let correct = accepted.contains { AnswerParsing.normaliseShort($0) == normal }
            return .graded(correct: correct, understood: normal, expected: accepted.first ?? "")
        case let .order(items):
            return gradeOrder(text, count: items.count, shown: shown)
        case .sketch:
            return .invalid(message: "sketch answers are self-rated, not graded automatically")
        }
    }

    /// The presentation to read letters with: the given one if it is a permutation of this
    /// question's entries, otherwise the authored order.
    private func fitting(_ presentation: Presentation?) -> Presentation {
        let count = entries.count
        if let presentation, presentation.order.count == count, presentation.order.sorted() == Array(0..<count) {
            return presentation
        }
        return .identity(entries)
    }

    private func gradeSingle(_ text: String, count: Int, answer: Int, shown: Presentation) -> GradeResult {
        var letter = Substring(text.lowercased())
        if letter.hasPrefix("(") { letter = letter.dropFirst() }
        if letter.hasSuffix(")") || letter.hasSuffix(".") { letter = letter.dropLast() }
        guard letter.count == 1, let first = letter.first, let displayed = AnswerParsing.index(ofLetter: first),
              let authored = shown.authoredIndex(displayed: displayed) else {
            return .invalid(message: "answer with a letter \(AnswerParsing.letterRange(count))")
        }
        let expected = shown.displayedIndex(authored: answer).map(AnswerParsing.letter) ?? "?"
        return .graded(correct: authored == answer, understood: AnswerParsing.letter(displayed), expected: expected)
    }

    private func gradeMultiple(_ text: String, count: Int, answers: [Int], shown: Presentation) -> GradeResult {
        let invalid = GradeResult.invalid(
            message: "answer with one or more letters \(AnswerParsing.letterRange(count)), separated by spaces or commas")
        guard let letters = AnswerParsing.letters(text), !letters.isEmpty else { return invalid }
        let displayed = Array(Set(letters)).sorted()
        var authored: Set<Int> = []
        for index in displayed {
            guard let original = shown.authoredIndex(displayed: index) else { return invalid }
            authored.insert(original)
        }
        let expected = answers.compactMap { shown.displayedIndex(authored: $0) }.sorted()
        return .graded(
            correct: authored == Set(answers),
            understood: displayed.map(AnswerParsing.letter).joined(separator: ", "),
            expected: expected.map(AnswerParsing.letter).joined(separator: ", "))
    }

    private func gradeNumeric(_ text: String, answer: Double, tolerance: Double, unit: String?) -> GradeResult {
        var number = text
        if let unit, !unit.isEmpty, number.lowercased().hasSuffix(unit.lowercased()) {
            number = String(number.dropLast(unit.count))
        }
        guard let value = AnswerParsing.number(number) else {
            return .invalid(message: "answer with a number such as 0.25, -2 or 1e-3")
        }
        let suffix = unit.map { " \($0)" } ?? ""
        // A little slack for decimal numbers that binary floating point cannot hold exactly.
        let slack = 1e-9 * max(1, abs(answer), tolerance)
        let correct = abs(value - answer) <= tolerance + slack
        let expected = AnswerParsing.format(answer) + (tolerance > 0 ? " ± \(AnswerParsing.format(tolerance))" : "") + suffix
        return .graded(correct: correct, understood: AnswerParsing.format(value) + suffix, expected: expected)
    }

    private func gradeOrder(_ text: String, count: Int, shown: Presentation) -> GradeResult {
        guard let letters = AnswerParsing.letters(text), letters.count == count, Set(letters).count == count,
              letters.allSatisfy({ $0 < count }) else {
            return .invalid(message: "answer with all of the letters \(AnswerParsing.letterRange(count)), each once, in the right order")
        }
        let authored = letters.compactMap { shown.authoredIndex(displayed: $0) }
        let expected = (0..<count).compactMap { shown.displayedIndex(authored: $0) }
        return .graded(
            correct: authored == Array(0..<count),
            understood: letters.map(AnswerParsing.letter).joined(separator: " "),
            expected: expected.map(AnswerParsing.letter).joined(separator: " "))
    }
}
