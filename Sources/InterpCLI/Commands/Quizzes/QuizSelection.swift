import Course
import Progress

/// The `--type`, `--tag` and `--limit` options of `quiz`, checked against the course.
struct QuizFilters {
    var type: QuestionType?
    var tag: String?
    var limit: Int?

    /// Parses the raw option values; unknown types and tags are usage errors with a suggestion.
    init(type: String?, tag: String?, limit: Int?, course: Course) throws {
        if let type {
            guard let parsed = QuestionType(rawValue: type.lowercased()) else {
                let names = QuestionType.allCases.map(\.rawValue)
                throw CLIError.usage("--type: no question type '\(type)'" + Suggest.phrase(for: type, in: names)
                                     + " (types: " + names.joined(separator: ", ") + ")")
            }
            self.type = parsed
        }
        if let tag {
            let tags = Set(course.questions.flatMap(\.tags)).sorted()
            guard tags.contains(tag) else {
                throw CLIError.usage("--tag: no question is tagged '\(tag)'" + Suggest.phrase(for: tag, in: tags))
            }
            self.tag = tag
        }
        if let limit, limit < 1 {
            throw CLIError.usage("--limit must be at least 1 (got \(limit))")
        }
        self.limit = limit
    }

    /// The questions that pass the type and tag filters, in the given order, cut to the limit.
    func apply(_ questions: [Question]) -> [Question] {
        let kept = questions.filter { q in
            (type.map { q.type == $0 } ?? true) && (tag.map { q.tags.contains($0) } ?? true)
        }
        return limit.map { Array(kept.prefix($0)) } ?? kept
    }

    /// "--type sketch --tag probing", for messages; empty without filters.
    var described: String {
        [type.map { "--type \($0.rawValue)" }, tag.map { "--tag \($0)" }].compactMap { $0 }.joined(separator: " ")
    }
}

/// Which questions a quiz run asks, and in what order.
enum QuizSelection {
    /// A lesson's questions in the order the quiz file gives them.
    static func lesson(_ lesson: Lesson, course: Course, filters: QuizFilters) throws -> [Question] {
        guard let quiz = course.quiz(forLesson: lesson.id), !quiz.questions.isEmpty else {
            if let problem = course.overLimitProblem(forLesson: lesson.id, quiz: true) { throw CLIError.data(problem.description).silent }
            throw CLIError.noInput("lesson '\(lesson.id)' has no quiz (see 'quiz list')")
        }
        let questions = filters.apply(quiz.questions)
        guard !questions.isEmpty else {
            throw CLIError.noInput("no question of '\(lesson.id)' matches \(filters.described)")
        }
        return questions
    }

    /// The questions whose cards are due, most overdue first (the order of `cards`). Cards of
    /// questions no longer in the course are left out.
    static func due(cards: [SRSCard], course: Course, lesson: Lesson?, filters: QuizFilters) -> [Question] {
        let byID = Dictionary(course.questions.map { ($0.id, $0) }) { first, _ in first }
        let questions = cards.compactMap { byID[$0.id] }.filter { question in
            lesson.map { question.lesson == $0.id } ?? true
        }
        return filters.apply(questions)
    }

    /// Whether a question suits a mock interview: a sketch, or an objective question that is not a
    /// calculation.
    static func isInterviewQuestion(_ question: Question) -> Bool {
        question.type == .sketch || (question.isObjective && question.type != .numeric)
    }

    /// Interview questions from every lesson in a random order fixed by `seed`: two conceptual
    /// questions, then a sketch, and so on while both last; then whatever remains.
    static func interview(course: Course, filters: QuizFilters, seed: UInt64) -> [Question] {
        let pool = QuizFilters.unlimited(filters).apply(course.questions.filter(isInterviewQuestion))
        var generator = SplitMix64(seed: seed)
        var sketches = pool.filter { $0.type == .sketch }.shuffled(using: &generator)
        var conceptual = pool.filter { $0.type != .sketch }.shuffled(using: &generator)
        var drawn: [Question] = []
        while !sketches.isEmpty || !conceptual.isEmpty {
            for _ in 0..<2 where !conceptual.isEmpty { drawn.append(conceptual.removeFirst()) }
            if !sketches.isEmpty { drawn.append(sketches.removeFirst()) }
        }
        return filters.limit.map { Array(drawn.prefix($0)) } ?? drawn
    }
}

extension QuizFilters {
    /// The same filters without the limit.
    static func unlimited(_ filters: QuizFilters) -> QuizFilters {
        var copy = filters
        copy.limit = nil
        return copy
    }
}

