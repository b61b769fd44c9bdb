/// One exercise of a course, read from `Exercises/<id>/manifest.yaml` (plus `prompt.md`).
///
/// Two kinds: an *investigation* is answered with a value (`answer ID VALUE`) that a grader checks
/// against the bundled model; a *code* exercise is a Swift file the learner edits inside the
/// exercise workspace `Exercises/Package.swift`, checked by hidden tests (`check ID`).
public struct Exercise: Sendable, Hashable {
    /// What the learner does.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case investigate
        case code
    }

    /// How an investigation's answer is written.
    public enum AnswerFormat: String, Sendable, Hashable, CaseIterable {
        /// A list of heads `L.H`, order-free: `1.0, 2.2`.
        case heads
        /// A layer and a position: `L:P` or `layer L pos P`.
        case layerPosition = "layer-pos"
        /// A decimal number.
        case number
        /// One vocabulary token.
        case token
    }

    /// The directory name under `Exercises/` (a lowercase slug).
    public var id: String
    public var title: String
    /// The lesson the exercise belongs to.
    public var lesson: String
    public var kind: Kind
    /// Points earned by solving it (before hint deductions).
    public var points: Int
    /// The bundled model the exercise works on.
    public var model: String
    /// Hints in the order they are revealed.
    public var hints: [String]
    /// Investigations: the grader that recomputes the truth from the model.
    public var grader: String?
    /// Investigations: how the answer is written.
    public var answerFormat: AnswerFormat?
    /// Code: the SwiftPM target of the exercise workspace that holds the learner's file.
    public var target: String?
    /// Code: the learner's file, relative to `Exercises/` (e.g. `Sources/InductionScore/InductionScore.swift`).
    public var file: String?
    /// The manifest, relative to the course root.
    public var manifestPath: String
    /// The prompt, relative to the course root.
    public var promptPath: String
    /// File lines of the manifest's fields, for diagnostics.
    public var lines: Lines

    /// Where each field was written in the manifest (1-based; the id line when a field is absent).
    public struct Lines: Sendable, Hashable {
        public var id = 1, lesson = 1, model = 1, grader = 1, target = 1, file = 1
        public init() {}
    }

    public init(id: String, title: String, lesson: String, kind: Kind, points: Int, model: String, hints: [String],
                grader: String? = nil, answerFormat: AnswerFormat? = nil, target: String? = nil, file: String? = nil,
                manifestPath: String? = nil, promptPath: String? = nil, lines: Lines = Lines()) {
        self.id = id
        self.title = title
        self.lesson = lesson
        self.kind = kind
        self.points = points
        self.model = model
        self.hints = hints
        self.grader = grader
        self.answerFormat = answerFormat
        self.target = target
        self.file = file
        self.manifestPath = manifestPath ?? "\(Exercise.directory)/\(id)/manifest.yaml"
        self.promptPath = promptPath ?? "\(Exercise.directory)/\(id)/prompt.md"
        self.lines = lines
    }

    /// The exercises directory of a course.
    public static let directory = "Exercises"

    /// Code: the pristine stub, relative to the course root (`Exercises/<id>/stub.swift`); `ex reset` copies it back.
    public var stubPath: String { "\(Exercise.directory)/\(id)/stub.swift" }

    /// Code: the learner's file relative to the course root.
    public var learnerPath: String? { file.map { "\(Exercise.directory)/\($0)" } }

    /// Code: the workspace product that runs the hidden tests (`<target>Check`).
    public var checkProduct: String? { target.map { $0 + "Check" } }
}
