import Yams

/// Reads one exercise manifest (`Exercises/<id>/manifest.yaml`) into an `Exercise`, reporting every
/// problem as a diagnostic at its line.
enum ExerciseParser {
    struct Output {
        var exercise: Exercise?
        var diagnostics: [Diagnostic]
    }

    /// Fields a manifest may have; anything else is reported (a typo would otherwise be ignored).
    static let knownFields: Set<String> = [
        "id", "title", "lesson", "kind", "points", "model", "hints", "grader", "answer", "target", "file",
    ]

    /// Parses the manifest `text` of the exercise in directory `directoryName`.
    static func parse(text: String, path: String, directoryName: String) -> Output {
        var reader = YAMLReader(path: path, lineOffset: 0)
        let exercise = parse(text, path: path, directoryName: directoryName, reader: &reader)
        return Output(exercise: exercise, diagnostics: reader.diagnostics)
    }

    private static func parse(_ text: String, path: String, directoryName: String, reader: inout YAMLReader) -> Exercise? {
        let root: Node
        switch reader.compose(text, lastLine: SourceText.lines(text).count) {
        case .node(let node): root = node
        case .empty:
            reader.report("the manifest is empty", line: 1)
            return nil
        case .invalid: return nil
        }
        guard let fields = reader.mapping(root, what: "an exercise manifest", line: 1) else { return nil }
        for entry in fields.entries where !knownFields.contains(entry.key) {
            var message = "unknown field '\(entry.key)'"
            if let guess = Suggestion.closest(to: entry.key, among: knownFields.sorted()) { message += " (did you mean '\(guess)'?)" }
            reader.report(message, line: entry.keyLine)
        }

        var lines = Exercise.Lines()
        let id = reader.text(fields, "id", required: true, singleLine: true)
        if let id {
            lines.id = id.line
            if !LessonParser.isSlug(id.value) {
                reader.report("exercise id '\(id.value)' must be a lowercase slug such as induction-score", line: id.line)
            } else if id.value != directoryName {
                reader.report("exercise id '\(id.value)' must match its directory name '\(directoryName)'", line: id.line)
            }
        }
        let title = reader.text(fields, "title", required: true, singleLine: true)
        let lesson = reader.text(fields, "lesson", required: true, singleLine: true)
        if let lesson { lines.lesson = lesson.line }
        let model = reader.text(fields, "model", required: true, singleLine: true)
        if let model { lines.model = model.line }
        let points = reader.integer(fields, "points", required: true, expected: "a whole number of points")
        if let points, points.value < 1 || points.value > 100 {
            reader.report("'points' must be between 1 and 100, found \(points.value)", line: points.line)
        }
        let hints = reader.textList(fields, "hints", required: true)
        if let hints, hints.value.isEmpty {
            reader.report("an exercise needs at least one hint", line: hints.line)
        }

        var kind: Exercise.Kind?
        if let raw = reader.text(fields, "kind", required: true, singleLine: true) {
            kind = Exercise.Kind(rawValue: raw.value)
            if kind == nil {
                reader.report("'kind' must be one of \(Exercise.Kind.allCases.map(\.rawValue).joined(separator: ", ")), found '\(raw.value)'", line: raw.line)
            }
        }

        var grader: String?, format: Exercise.AnswerFormat?, target: String?, file: String?
        switch kind {
        case .investigate:
            if let g = reader.text(fields, "grader", required: true, singleLine: true) {
                grader = g.value
                lines.grader = g.line
            }
            if let raw = reader.text(fields, "answer", required: true, singleLine: true) {
                format = Exercise.AnswerFormat(rawValue: raw.value)
                if format == nil {
                    reader.report("'answer' must be one of \(Exercise.AnswerFormat.allCases.map(\.rawValue).joined(separator: ", ")), found '\(raw.value)'", line: raw.line)
                }
            }
            for key in ["target", "file"] where fields[key] != nil {
                reader.report("'\(key)' is for code exercises; an investigation has 'grader' and 'answer'", line: fields[key]?.keyLine ?? 1)
            }
        case .code:
            if let t = reader.text(fields, "target", required: true, singleLine: true) {
                lines.target = t.line
                if isSwiftIdentifier(t.value) { target = t.value } else {
                    reader.report("'target' must be a Swift module name such as InductionScore, found '\(t.value)'", line: t.line)
                }
            }
            if let f = reader.text(fields, "file", required: true, singleLine: true) {
                lines.file = f.line
                if f.value.hasPrefix("/") || f.value.split(separator: "/").contains("..") || !f.value.hasSuffix(".swift") {
                    reader.report("'file' must be a .swift path inside Exercises/ such as Sources/InductionScore/InductionScore.swift", line: f.line)
                } else {
                    file = f.value
                }
            }
            for key in ["grader", "answer"] where fields[key] != nil {
                reader.report("'\(key)' is for investigations; a code exercise has 'target' and 'file'", line: fields[key]?.keyLine ?? 1)
            }
        case nil:
            break
        }

        guard let id, LessonParser.isSlug(id.value), id.value == directoryName, let title, let lesson, let model,
              let points, (1...100).contains(points.value), let hints, !hints.value.isEmpty, let kind else { return nil }
        switch kind {
        case .investigate: guard grader != nil, format != nil else { return nil }
        case .code: guard target != nil, file != nil else { return nil }
        }
        return Exercise(id: id.value, title: title.value, lesson: lesson.value, kind: kind, points: points.value,
                        model: model.value, hints: hints.value.map(\.value), grader: grader, answerFormat: format,
                        target: target, file: file, manifestPath: path,
                        promptPath: "\(Exercise.directory)/\(directoryName)/prompt.md", lines: lines)
    }

    static func isSwiftIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII }
    }
}
