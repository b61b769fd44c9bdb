/// Reads one lesson file (`Lessons/NN-slug.md`) into a `Lesson`, reporting every problem as a
/// diagnostic. Tolerant: a lesson is returned whenever its required fields are usable, even if
/// other parts of the file have problems.
enum LessonParser {
    struct Output {
        var lesson: Lesson?
        /// The id the front matter declares, even when the lesson could not be built.
        var declaredID: String?
        var diagnostics: [Diagnostic] = []
    }

    static let frontMatterKeys = ["id", "title", "track", "minutes", "prerequisites", "model", "summary"]

    /// The `NN` of a lesson file name `NN-slug.md` (two digits, a lowercase slug), or nil.
    static func number(fromFileName name: String) -> Int? {
        guard name.hasSuffix(".md") else { return nil }
        let stem = name.dropLast(3)
        guard stem.count >= 4 else { return nil }
        let digits = stem.prefix(2)
        let rest = stem.dropFirst(2)
        guard digits.allSatisfy(\.isASCIIDigitCharacter), rest.first == "-", isSlug(rest.dropFirst()) else { return nil }
        return Int(digits)
    }

    /// Lowercase ASCII letters and digits in words joined by single hyphens.
    static func isSlug<S: StringProtocol>(_ text: S) -> Bool {
        guard let first = text.first, let last = text.last, first != "-", last != "-", !text.contains("--") else { return false }
        return text.allSatisfy { ("a"..."z").contains($0) || $0.isASCIIDigitCharacter || $0 == "-" }
    }

    /// Parses the text of a lesson file at `path` (relative to the course root).
    static func parse(text rawText: String, path: String, number: Int) -> Output {
        var output = Output()
        let text = SourceText.normalise(rawText)
        let frontMatter: FrontMatter
        switch FrontMatter.split(text) {
        case .failure(.missing):
            output.diagnostics.append(Diagnostic(path: path, line: 1, message: "missing front matter: the file must start with a '---' line"))
            return output
        case .failure(.unclosed):
            output.diagnostics.append(Diagnostic(path: path, line: 1, message: "front matter is not closed: no '---' line follows the opening one"))
            return output
        case .success(let split):
            frontMatter = split
        }

        var reader = YAMLReader(path: path, lineOffset: FrontMatter.yamlLineOffset)
        var fields = FieldValues()
        switch reader.compose(frontMatter.yaml, lastLine: frontMatter.closingLine - 1) {
        case .invalid:
            break
        case .empty:
            reader.report("front matter is empty: it needs id, title, track and minutes", line: 1)
        case .node(let node):
            if let mapping = reader.mapping(node, what: "front matter", line: 2) {
                fields = readFields(mapping, reader: &reader)
            }
        }
        output.declaredID = fields.id
        output.diagnostics = reader.diagnostics

        if frontMatter.body.trimmingWhitespace.isEmpty {
            output.diagnostics.append(Diagnostic(path: path, line: frontMatter.closingLine, message: "lesson body is empty"))
        }
        if let line = InputLimits.markdownExcess(frontMatter.body) {
            output.diagnostics.append(Diagnostic(path: path, line: frontMatter.bodyStartLine - 1 + line,
                                                 message: InputLimits.depthMessage))
            return output
        }
        let outline = MarkdownOutline.outline(frontMatter.body, firstLine: frontMatter.bodyStartLine)
        var seenSections: [String: Int] = [:]
        for section in outline.sections {
            let key = section.title.lowercased()
            if let first = seenSections[key] {
                output.diagnostics.append(Diagnostic(
                    path: path, line: section.line,
                    message: "duplicate section title '\(section.title)' (first at line \(first))"))
            } else {
                seenSections[key] = section.line
            }
        }

        guard let id = fields.id, let title = fields.title, let track = fields.track, let minutes = fields.minutes else {
            return output
        }
        output.lesson = Lesson(
            id: id, title: title, track: track, minutes: minutes, prerequisites: fields.prerequisites,
            model: fields.model, summary: fields.summary, number: number, path: path, body: frontMatter.body,
            bodyStartLine: frontMatter.bodyStartLine, sections: outline.sections,
            runnableBlocks: outline.runnableBlocks, lines: fields.lines)
        return output
    }

    private struct FieldValues {
        var id: String?
        var title: String?
        var track: Int?
        var minutes: Int?
        var prerequisites: [String] = []
        var model: String?
        var summary: String?
        var lines = Lesson.FieldLines()
    }

    private static func readFields(_ mapping: YAMLMapping, reader: inout YAMLReader) -> FieldValues {
        var fields = FieldValues()
        reader.rejectUnknownKeys(mapping, allowed: frontMatterKeys, in: "front matter")

        if let id = reader.text(mapping, "id", required: true, singleLine: true) {
            fields.lines.id = id.line
            if isSlug(id.value) {
                fields.id = id.value
            } else {
                reader.report("'id' must be a lowercase slug such as 'why-hard', found '\(id.value)'", line: id.line)
            }
        }
        fields.title = reader.text(mapping, "title", required: true, singleLine: true)?.value
        if let track = reader.integer(mapping, "track", required: true, expected: "0, 1 or 2") {
            if (0...2).contains(track.value) {
                fields.track = track.value
            } else {
                reader.report("'track' must be 0, 1 or 2, found '\(track.value)'", line: track.line)
            }
        }
        if let minutes = reader.integer(mapping, "minutes", required: true, expected: "a whole number of minutes") {
            if minutes.value > 0 {
                fields.minutes = minutes.value
            } else {
                reader.report("'minutes' must be at least 1, found '\(minutes.value)'", line: minutes.line)
            }
        }
        if let list = reader.textList(mapping, "prerequisites", required: false, nullIsEmpty: true) {
            fields.lines.prerequisites = list.line
            for item in list.value {
                if fields.prerequisites.contains(item.value) {
                    reader.report("prerequisite '\(item.value)' is listed twice", line: item.line)
                    continue
                }
                fields.prerequisites.append(item.value)
                fields.lines.prerequisiteItems.append(item.line)
            }
        }
        if let model = reader.text(mapping, "model", required: false, singleLine: true) {
            fields.model = model.value
            fields.lines.model = model.line
        }
        fields.summary = reader.text(mapping, "summary", required: false, singleLine: true)?.value
        return fields
    }
}
