import Yams

/// Reads one quiz file (`quizzes/<lesson-id>.yaml`) with Yams' node API so every problem points at
/// the line of the offending field. Tolerant: a question with problems is left out and the rest
/// still load.
enum QuizParser {
    struct Output {
        var quiz: Quiz?
        var diagnostics: [Diagnostic] = []
    }

    static let topLevelKeys = ["lesson", "questions"]
    static let commonKeys = ["id", "type", "difficulty", "tags", "prompt", "explanation"]
    static let typeKeys: [QuestionType: [String]] = [
        .single: ["choices", "answer"],
        .multiple: ["choices", "answer"],
        .truefalse: ["answer"],
        .numeric: ["answer", "tolerance", "unit"],
        .short: ["accept"],
        .order: ["items"],
        .sketch: ["reference", "rubric"],
    ]
    static let entryLimits = 2...8
    static let rubricLimits = 4...6

    /// Parses the text of a quiz file whose lesson id is `fileLesson` (the file name without `.yaml`).
    static func parse(text rawText: String, path: String, fileLesson: String) -> Output {
        var reader = YAMLReader(path: path, lineOffset: 0)
        let quiz = parseQuiz(SourceText.normalise(rawText), path: path, fileLesson: fileLesson, reader: &reader)
        return Output(quiz: quiz, diagnostics: reader.diagnostics)
    }

    private static func parseQuiz(_ text: String, path: String, fileLesson: String, reader: inout YAMLReader) -> Quiz? {
        let root: Node
        switch reader.compose(text, lastLine: SourceText.lines(text).count) {
        case .invalid: return nil
        case .empty:
            reader.report("quiz file is empty: it needs 'lesson' and 'questions'", line: 1)
            return nil
        case .node(let node): root = node
        }
        guard let top = reader.mapping(root, what: "a quiz file", line: 1) else { return nil }
        reader.rejectUnknownKeys(top, allowed: topLevelKeys, in: "quiz file")

        // The file name is the canonical lesson id; the `lesson` field must agree with it. While they
        // disagree, question ids may use either, so that one mistake gives one diagnostic.
        let lesson = fileLesson
        var lessonLine = top.line
        let declared = reader.text(top, "lesson", required: true, singleLine: true)
        if let declared {
            lessonLine = declared.line
            if declared.value != fileLesson {
                reader.report("lesson '\(declared.value)' does not match the file name (expected '\(fileLesson)')", line: declared.line)
            }
        }
        let prefixes = [fileLesson] + (declared.map { [$0.value] } ?? []).filter { $0 != fileLesson }
        var questions: [Question] = []
        if let list = reader.sequence(top, "questions", required: true) {
            if list.value.isEmpty { reader.report("'questions' must list at least one question", line: list.line) }
            for node in list.value {
                if let question = parseQuestion(node, lesson: lesson, prefixes: prefixes, path: path, reader: &reader) {
                    questions.append(question)
                }
            }
        }
        return Quiz(lesson: lesson, path: path, questions: questions, lessonLine: lessonLine, declaredLesson: declared?.value)
    }

    // MARK: - Questions

    private static func parseQuestion(
        _ node: Node, lesson: String, prefixes: [String], path: String, reader: inout YAMLReader
    ) -> Question? {
        let errorsBefore = reader.diagnostics.count
        guard let fields = reader.mapping(node, what: "a question", line: 1) else { return nil }

        let id = reader.text(fields, "id", required: true, singleLine: true)
        if let id, !prefixes.contains(where: { isQuestionID(id.value, lesson: $0) }) {
            reader.report("question id '\(id.value)' must be '\(lesson).<slug>' with a lowercase slug", line: id.line)
        }
        var type: QuestionType?
        if let raw = reader.text(fields, "type", required: true, singleLine: true) {
            type = QuestionType(rawValue: raw.value)
            if type == nil {
                let names = QuestionType.allCases.map(\.rawValue)
                let hint = Suggestion.closest(to: raw.value, among: names).map { "did you mean '\($0)'?" }
                    ?? "expected one of \(names.joined(separator: ", "))"
                reader.report("unknown question type '\(raw.value)' (\(hint))", line: raw.line)
            }
        }
        if let type {
            let allowed = commonKeys + (typeKeys[type] ?? [])
            var misplaced: [String: String] = [:]
            for key in Set(typeKeys.values.joined()) where !allowed.contains(key) {
                misplaced[key] = "does not apply to \(type.rawValue) questions"
            }
            reader.rejectUnknownKeys(fields, allowed: allowed, misplaced: misplaced, in: "a question")
        }
        var difficulty: Difficulty?
        if let raw = reader.text(fields, "difficulty", required: true, singleLine: true) {
            difficulty = Difficulty(rawValue: raw.value)
            if difficulty == nil {
                reader.report("'difficulty' must be easy, medium or hard, found '\(raw.value)'", line: raw.line)
            }
        }
        let tags = reader.textList(fields, "tags", required: true)
        if let tags, tags.value.isEmpty {
            reader.report("'tags' must list at least one tag", line: tags.line)
        }
        let prompt = reader.markdown(fields, "prompt", required: true)
        let explanation = reader.markdown(fields, "explanation", required: true)
        let kind = type.flatMap { parseKind($0, fields, reader: &reader) }

        guard reader.diagnostics.count == errorsBefore, let id, let difficulty, let tags, let prompt, let explanation,
              let kind else { return nil }
        return Question(
            id: id.value, lesson: lesson, difficulty: difficulty, tags: tags.value.map(\.value), prompt: prompt.value,
            explanation: explanation.value, kind: kind, path: path, line: fields.line)
    }

    static func isQuestionID(_ id: String, lesson: String) -> Bool {
        let prefix = lesson + "."
        return id.hasPrefix(prefix) && LessonParser.isSlug(id.dropFirst(prefix.count))
    }

    private static func parseKind(_ type: QuestionType, _ fields: YAMLMapping, reader: inout YAMLReader) -> Question.Kind? {
        switch type {
        // Every field is checked even when an earlier one is wrong, so one run reports every problem.
        case .single:
            let choices = entries(fields, "choices", noun: "choice", reader: &reader)
            let answer = reader.scalar(fields, "answer", required: true, expected: "one letter")
            let index = answer.flatMap { letterAnswer($0, count: choices?.count, reader: &reader) }
            guard let choices = choices?.texts, let index else { return nil }
            return .single(choices: choices, answer: index)
        case .multiple:
            let choices = entries(fields, "choices", noun: "choice", reader: &reader)
            let answers = letterList(fields, count: choices?.count, reader: &reader)
            guard let choices = choices?.texts, let answers else { return nil }
            return .multiple(choices: choices, answers: answers)
        case .truefalse:
            guard let answer = reader.scalar(fields, "answer", required: true, expected: "true or false") else { return nil }
            switch answer.value.trimmingWhitespace.lowercased() {
            case "true": return .truefalse(answer: true)
            case "false": return .truefalse(answer: false)
            default:
                reader.report("'answer' must be true or false, found '\(answer.value)'", line: answer.line)
                return nil
            }
        case .numeric:
            let answer = reader.number(fields, "answer", required: true)
            var tolerance: Double? = 0
            if let given = reader.number(fields, "tolerance", required: false) {
                if given.value < 0 {
                    reader.report("'tolerance' must not be negative, found '\(AnswerParsing.format(given.value))'", line: given.line)
                    tolerance = nil
                } else {
                    tolerance = given.value
                }
            }
            let unit = reader.text(fields, "unit", required: false, singleLine: true)?.value
            guard let answer, let tolerance else { return nil }
            return .numeric(answer: answer.value, tolerance: tolerance, unit: unit)
        case .short:
            guard let accepted = reader.textList(fields, "accept", required: true) else { return nil }
            if accepted.value.isEmpty {
                reader.report("'accept' must list at least one accepted answer", line: accepted.line)
                return nil
            }
            var seen: [String: String] = [:]
            for form in accepted.value {
                let key = AnswerParsing.normaliseShort(form.value)
                if let earlier = seen[key] {
                    reader.report("accepted answer '\(form.value)' repeats '\(earlier)' (case, spaces and a final full stop are ignored)", line: form.line)
                } else {
                    seen[key] = form.value
                }
            }
            return .short(accepted: accepted.value.map(\.value))
        case .order:
            guard let items = entries(fields, "items", noun: "item", reader: &reader)?.texts else { return nil }
            return .order(items: items)
        case .sketch:
            let reference = reader.markdown(fields, "reference", required: true)
            let rubric = parseRubric(fields, reader: &reader)
            guard let reference, let rubric else { return nil }
            return .sketch(reference: reference.value, rubric: rubric)
        }
    }

    /// The entries of a choices or items list, as far as they could be read.
    private struct Entries {
        /// The texts, when every entry is valid; nil otherwise.
        var texts: [String]?
        /// How many entries the list has, valid or not (what answer letters are checked against).
        var count: Int
    }

    /// Choices or items: 2–8 distinct texts (compared ignoring case and surrounding spaces). Nil
    /// when the field is missing or not a list; every problem of its entries is reported.
    private static func entries(_ fields: YAMLMapping, _ key: String, noun: String, reader: inout YAMLReader) -> Entries? {
        let before = reader.diagnostics.count
        guard let nodes = fields[key]?.value.sequence, let list = reader.textList(fields, key, required: true) else {
            _ = reader.textList(fields, key, required: true)  // reports a missing or malformed field
            return nil
        }
        var clean = reader.diagnostics.count == before
        if !entryLimits.contains(nodes.count) {
            reader.report("'\(key)' must have \(entryLimits.lowerBound) to \(entryLimits.upperBound) entries, found \(nodes.count)", line: list.line)
            clean = false
        }
        var seen: [String: Int] = [:]
        for entry in list.value where reader.checkedMarkdown(entry) == nil { clean = false }
        for entry in list.value {
            let key = entry.value.lowercased()
            if let first = seen[key] {
                reader.report("duplicate \(noun) '\(entry.value)' (also at line \(first))", line: entry.line)
                clean = false
            } else {
                seen[key] = entry.line
            }
        }
        return Entries(texts: clean ? list.value.map(\.value) : nil, count: nodes.count)
    }

    /// The index of a letter answer; `count` is the number of choices (nil when unknown: the
    /// letter is then checked for form only).
    private static func letterAnswer(_ answer: Located<String>, count: Int?, reader: inout YAMLReader) -> Int? {
        let text = answer.value.trimmingWhitespace
        guard text.count == 1, let first = text.first, let index = AnswerParsing.index(ofLetter: first) else {
            let range = count.map { " " + AnswerParsing.letterRange($0) } ?? ""
            reader.report("'answer' must be one letter\(range), found '\(text)'", line: answer.line)
            return nil
        }
        guard let count else { return nil }
        guard index < count else {
            reader.report("answer '\(text)' is out of range: there are \(count) choices (\(AnswerParsing.letterRange(count)))", line: answer.line)
            return nil
        }
        return index
    }

    private static func letterList(_ fields: YAMLMapping, count: Int?, reader: inout YAMLReader) -> [Int]? {
        if let entry = fields["answer"], entry.value.scalar != nil, !YAMLReader.isNull(entry.value) {
            reader.report("'answer' of a multiple question must be a list of letters such as [a, c]",
                          line: reader.line(of: entry.value, default: entry.keyLine))
            return nil
        }
        guard let letters = reader.textList(fields, "answer", required: true) else { return nil }
        if letters.value.isEmpty {
            reader.report("'answer' of a multiple question must list at least one letter", line: letters.line)
            return nil
        }
        var indices: [Int] = []
        var clean = true
        for letter in letters.value {
            guard let index = letterAnswer(letter, count: count, reader: &reader) else {
                clean = false
                continue
            }
            if indices.contains(index) {
                reader.report("answer letter '\(letter.value)' is listed twice", line: letter.line)
                clean = false
            }
            indices.append(index)
        }
        return clean ? indices.sorted() : nil
    }

    private static func parseRubric(_ fields: YAMLMapping, reader: inout YAMLReader) -> [RubricPoint]? {
        guard let list = reader.sequence(fields, "rubric", required: true) else { return nil }
        let counted = rubricLimits.contains(list.value.count)
        if !counted {
            reader.report("'rubric' must have \(rubricLimits.lowerBound) to \(rubricLimits.upperBound) points, found \(list.value.count)", line: list.line)
        }
        var points: [RubricPoint] = []
        for node in list.value {
            guard let entry = reader.mapping(node, what: "a rubric point", line: list.line) else { continue }
            reader.rejectUnknownKeys(entry, allowed: ["point", "keys"], in: "a rubric point")
            let point = reader.text(entry, "point", required: true)
            guard let keys = reader.textList(entry, "keys", required: true) else { continue }
            if keys.value.isEmpty {
                reader.report("'keys' must list at least one key term", line: keys.line)
                continue
            }
            for key in keys.value where SketchHints.words(key.value).isEmpty {
                reader.report("key '\(key.value)' has no letters or digits to match", line: key.line)
            }
            if let point { points.append(RubricPoint(point: point.value, keys: keys.value.map(\.value))) }
        }
        return counted && points.count == list.value.count ? points : nil
    }
}
