/// The question types of the quiz format (`type:` in a quiz file).
public enum QuestionType: String, Sendable, Hashable, Codable, CaseIterable {
    case single, multiple, truefalse, numeric, short, order, sketch
}

/// How hard a question is meant to be.
public enum Difficulty: String, Sendable, Hashable, Codable, CaseIterable {
    case easy, medium, hard
}

/// A key point a sketch answer should make, with the terms that suggest it was made.
public struct RubricPoint: Sendable, Hashable, Codable {
    public let point: String
    /// Words or phrases, matched case-insensitively on word boundaries with light stemming.
    public let keys: [String]

    public init(point: String, keys: [String]) {
        self.point = point
        self.keys = keys
    }
}

/// One quiz question. Letters (`a`, `b`, …) always refer to the authored order of choices or
/// items; see `Presentation` for shuffled display.
public struct Question: Sendable, Hashable, Identifiable {
    /// `<lesson-id>.<slug>`, stable and unique across the course.
    public let id: String
    /// The lesson id the question belongs to.
    public let lesson: String
    public let difficulty: Difficulty
    public let tags: [String]
    /// Markdown.
    public let prompt: String
    /// Markdown shown after answering.
    public let explanation: String
    public let kind: Kind
    /// The quiz file, relative to the course root.
    public let path: String
    /// File line where the question starts.
    public let line: Int

    /// The type-specific content and answer.
    public enum Kind: Sendable, Hashable {
        /// One correct choice (authored index).
        case single(choices: [String], answer: Int)
        /// One or more correct choices (authored indices, ascending).
        case multiple(choices: [String], answers: [Int])
        case truefalse(answer: Bool)
        /// Correct when within `tolerance` (absolute) of `answer`.
        case numeric(answer: Double, tolerance: Double, unit: String?)
        /// Accepted forms, compared ignoring case, surrounding and repeated spaces and a final full stop.
        case short(accepted: [String])
        /// Items in the correct order.
        case order(items: [String])
        /// Free text, self-rated against a reference sketch and rubric.
        case sketch(reference: String, rubric: [RubricPoint])
    }

    public init(
        id: String, lesson: String, difficulty: Difficulty, tags: [String], prompt: String, explanation: String,
        kind: Kind, path: String = "", line: Int = 1
    ) {
        self.id = id
        self.lesson = lesson
        self.difficulty = difficulty
        self.tags = tags
        self.prompt = prompt
        self.explanation = explanation
        self.kind = kind
        self.path = path
        self.line = line
    }

    /// The `type:` written in the quiz file.
    public var type: QuestionType {
        switch kind {
        case .single: return .single
        case .multiple: return .multiple
        case .truefalse: return .truefalse
        case .numeric: return .numeric
        case .short: return .short
        case .order: return .order
        case .sketch: return .sketch
        }
    }

    /// True for every type graded automatically (all but sketch).
    public var isObjective: Bool { type != .sketch }

    /// The choices (single, multiple) or items (order) a learner answers with letters, in authored
    /// order; empty for the other types.
    public var entries: [String] {
        switch kind {
        case let .single(choices, _), let .multiple(choices, _): return choices
        case let .order(items): return items
        case .truefalse, .numeric, .short, .sketch: return []
        }
    }
}

/// The questions of one lesson, from `quizzes/<lesson-id>.yaml`.
public struct Quiz: Sendable, Hashable {
    /// The lesson id (the file name without `.yaml`).
    public let lesson: String
    /// The quiz file, relative to the course root.
    public let path: String
    public let questions: [Question]
    /// File line of the `lesson:` field, for diagnostics.
    let lessonLine: Int
    /// The `lesson:` field as written (it should equal `lesson`).
    let declaredLesson: String?

    public init(lesson: String, path: String, questions: [Question]) {
        self.init(lesson: lesson, path: path, questions: questions, lessonLine: 1, declaredLesson: lesson)
    }

    init(lesson: String, path: String, questions: [Question], lessonLine: Int, declaredLesson: String?) {
        self.lesson = lesson
        self.path = path
        self.questions = questions
        self.lessonLine = lessonLine
        self.declaredLesson = declaredLesson
    }
}
