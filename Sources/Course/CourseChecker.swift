/// Validates a whole course for `interp course check`: every per-file problem found while loading,
/// plus the problems that involve several files.
public struct CourseChecker: Sendable {
    /// Names of the bundled models; lessons naming another model are reported. Nil skips the check.
    public var knownModels: Set<String>?
    /// Ids of the investigation graders; exercises naming another are reported. Nil skips the check.
    public var knownGraders: Set<String>?

    /// - Parameter knownModels: the bundled model names, or nil to skip the model check.
    public init(knownModels: Set<String>? = nil) {
        self.knownModels = knownModels
    }

    /// Loads the course at `root` and returns every problem, sorted by file and line.
    /// - Throws: `CourseError` when the directory is missing, not a course, or unreadable.
    public func check(root: String) throws -> [Diagnostic] {
        let (course, loadDiagnostics) = try Course.load(root: root)
        return Diagnostic.sorted(loadDiagnostics + check(course))
    }

    /// The cross-file checks of a loaded course: duplicate lesson ids and numbers, unknown and
    /// cyclic prerequisites, unknown models, missing quizzes (a warning, for tracks 1 and 2),
    /// quizzes without a lesson, and duplicate question ids.
    public func check(_ course: Course) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        diagnostics += duplicateLessons(course)
        diagnostics += prerequisites(course)
        diagnostics += cycles(course)
        diagnostics += models(course)
        diagnostics += quizLinks(course)
        diagnostics += duplicateQuestions(course)
        diagnostics += exerciseLinks(course)
        return Diagnostic.sorted(diagnostics)
    }

    // MARK: - Lessons

    private func duplicateLessons(_ course: Course) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var firstByID: [String: Lesson] = [:]
        for lesson in course.allLessons {
            if let first = firstByID[lesson.id] {
                diagnostics.append(Diagnostic(
                    path: lesson.path, line: lesson.lines.id,
                    message: "duplicate lesson id '\(lesson.id)' (also in \(first.path):\(first.lines.id))"))
            } else {
                firstByID[lesson.id] = lesson
            }
        }
        var firstByNumber: [Int: String] = [:]
        for path in course.lessonFiles {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            guard let number = course.allLessons.first(where: { $0.path == path })?.number
                ?? LessonParser.number(fromFileName: name) else { continue }
            if let first = firstByNumber[number] {
                let shown = number < 10 ? "0\(number)" : "\(number)"
                diagnostics.append(Diagnostic(path: path, line: 1, message: "lesson number \(shown) is also used by \(first)"))
            } else {
                firstByNumber[number] = path
            }
        }
        return diagnostics
    }

    private func prerequisites(_ course: Course) -> [Diagnostic] {
        let known = Set(course.allLessons.map(\.id)).union(course.brokenLessonIDs)
        let candidates = course.lessons.map(\.id)
        var diagnostics: [Diagnostic] = []
        for lesson in course.allLessons {
            for (offset, prerequisite) in lesson.prerequisites.enumerated() where !known.contains(prerequisite) {
                let line = lesson.lines.prerequisiteItems.indices.contains(offset)
                    ? lesson.lines.prerequisiteItems[offset] : lesson.lines.prerequisites
                var message = "unknown prerequisite '\(prerequisite)'"
                if let guess = Suggestion.closest(to: prerequisite, among: candidates) {
                    message += " (did you mean '\(guess)'?)"
                }
                diagnostics.append(Diagnostic(path: lesson.path, line: line, message: message))
            }
        }
        return diagnostics
    }

    /// Each prerequisite cycle once, reported at its earliest lesson, e.g. `a → b → a`.
    private func cycles(_ course: Course) -> [Diagnostic] {
        let byID = Dictionary(course.lessons.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let position = Dictionary(course.lessons.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var state: [String: Bool] = [:] // false: on the current path, true: finished
        var path: [String] = []
        var found: [[String]] = []

        func visit(_ id: String) {
            state[id] = false
            path.append(id)
            for next in byID[id]?.prerequisites ?? [] where byID[next] != nil {
                switch state[next] {
                case .none: visit(next)
                case .some(false):
                    if let start = path.firstIndex(of: next) { found.append(Array(path[start...])) }
                case .some(true): break
                }
            }
            path.removeLast()
            state[id] = true
        }
        for lesson in course.lessons where state[lesson.id] == nil { visit(lesson.id) }

        var reported: Set<Set<String>> = []
        var diagnostics: [Diagnostic] = []
        for cycle in found where reported.insert(Set(cycle)).inserted {
            guard let earliest = cycle.indices.min(by: { (position[cycle[$0]] ?? 0) < (position[cycle[$1]] ?? 0) }),
                  let lesson = byID[cycle[earliest]] else { continue }
            let rotated = Array(cycle[earliest...] + cycle[..<earliest])
            let message = rotated.count == 1
                ? "lesson '\(lesson.id)' lists itself as a prerequisite"
                : "prerequisite cycle: " + (rotated + [rotated[0]]).joined(separator: " → ")
            let line = rotated.count > 1
                ? lineOfPrerequisite(rotated[1], in: lesson) : lineOfPrerequisite(lesson.id, in: lesson)
            diagnostics.append(Diagnostic(path: lesson.path, line: line, message: message))
        }
        return diagnostics
    }

    private func lineOfPrerequisite(_ id: String, in lesson: Lesson) -> Int {
        guard let offset = lesson.prerequisites.firstIndex(of: id),
              lesson.lines.prerequisiteItems.indices.contains(offset) else { return lesson.lines.prerequisites }
        return lesson.lines.prerequisiteItems[offset]
    }

    private func models(_ course: Course) -> [Diagnostic] {
        guard let knownModels else { return [] }
        let names = knownModels.sorted()
        return course.allLessons.compactMap { lesson in
            guard let model = lesson.model, !knownModels.contains(model) else { return nil }
            return Diagnostic(path: lesson.path, line: lesson.lines.model,
                              message: "unknown model '\(model)' (\(Suggestion.listing(model, among: names)))")
        }
    }

    // MARK: - Quizzes

    private func quizLinks(_ course: Course) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for lesson in course.lessons where lesson.track >= 1 && !course.quizFileLessons.contains(lesson.id) {
            diagnostics.append(Diagnostic(
                path: lesson.path, line: lesson.lines.id,
                message: "lesson '\(lesson.id)' has no quiz: add quizzes/\(lesson.id).yaml", severity: .warning))
        }
        let known = Set(course.allLessons.map(\.id)).union(course.brokenLessonIDs)
        // A quiz whose `lesson:` field disagrees with its file name was reported when it was read.
        for quiz in course.quizzes where !known.contains(quiz.lesson) && (quiz.declaredLesson ?? quiz.lesson) == quiz.lesson {
            var message = "no lesson has id '\(quiz.lesson)'"
            if let guess = Suggestion.closest(to: quiz.lesson, among: course.lessons.map(\.id)) {
                message += " (did you mean '\(guess)'?)"
            }
            diagnostics.append(Diagnostic(path: quiz.path, line: quiz.lessonLine, message: message))
        }
        return diagnostics
    }

    private func duplicateQuestions(_ course: Course) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var first: [String: Question] = [:]
        for question in course.questions {
            if let earlier = first[question.id] {
                diagnostics.append(Diagnostic(
                    path: question.path, line: question.line,
                    message: "duplicate question id '\(question.id)' (also at \(earlier.path):\(earlier.line))"))
            } else {
                first[question.id] = question
            }
        }
        return diagnostics
    }
}
