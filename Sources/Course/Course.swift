import Foundation

/// A course directory loaded into plain values: lessons from `Lessons/NN-slug.md` and quizzes from
/// `quizzes/<lesson-id>.yaml` and exercises from `Exercises/<id>/`.
public struct Course: Sendable {
    /// The absolute path of the course directory.
    public let root: String
    /// Lessons ordered by number, then file name. A lesson whose id repeats an earlier one is left
    /// out (and reported by `CourseChecker`).
    public let lessons: [Lesson]
    /// Quizzes ordered by file name.
    public let quizzes: [Quiz]
    /// Exercises from `Exercises/<id>/manifest.yaml`, in id order (see `Exercise`).
    public internal(set) var exercises: [Exercise] = []
    /// The load's problems with files beyond `InputLimits` (nested too deeply, too large): what
    /// they held is left out, and every command should say so.
    public internal(set) var overLimit: [Diagnostic] = []

    /// Every lesson built from a file, duplicates included.
    let allLessons: [Lesson]
    /// Ids declared by lesson files whose front matter was too broken to build a lesson.
    let brokenLessonIDs: Set<String>
    /// Every lesson file with a valid name, relative to the root, built or not.
    let lessonFiles: [String]
    /// The lesson ids named by quiz file names, parsed or not.
    let quizFileLessons: Set<String>

    /// Builds a course from values (tests, tools). `load(root:)` builds one from a directory.
    public init(root: String, lessons: [Lesson], quizzes: [Quiz] = []) {
        self.init(root: root, allLessons: lessons, brokenLessonIDs: [], quizzes: quizzes,
                  lessonFiles: lessons.map(\.path), quizFileLessons: Set(quizzes.map(\.lesson)))
    }

    init(
        root: String, allLessons: [Lesson], brokenLessonIDs: Set<String>, quizzes: [Quiz], lessonFiles: [String],
        quizFileLessons: Set<String>
    ) {
        let sorted = allLessons.sorted { ($0.number, $0.path) < ($1.number, $1.path) }
        var seen: Set<String> = []
        self.root = root
        self.allLessons = sorted
        self.lessons = sorted.filter { seen.insert($0.id).inserted }
        self.brokenLessonIDs = brokenLessonIDs
        self.lessonFiles = lessonFiles.sorted()
        self.quizFileLessons = quizFileLessons
        self.quizzes = quizzes.sorted { $0.path < $1.path }
    }

    /// The lesson with this id.
    public func lesson(id: String) -> Lesson? {
        lessons.first { $0.id == id }
    }

    /// The exercise with this id.
    public func exercise(id: String) -> Exercise? {
        exercises.first { $0.id == id }
    }

    /// The quiz of a lesson, if it has one.
    public func quiz(forLesson id: String) -> Quiz? {
        quizzes.first { $0.lesson == id }
    }

    /// Every question of the course, quiz files in name order.
    public var questions: [Question] { quizzes.flatMap(\.questions) }

    /// The over-limit problem of the lesson `reference` (an id or a number) names, or of its quiz
    /// file with `quiz`: the reason such a lesson or quiz is missing.
    public func overLimitProblem(forLesson reference: String, quiz: Bool = false) -> Diagnostic? {
        overLimit.first { problem in
            if quiz { return problem.path == "\(Self.quizzesDirectory)/\(reference).yaml" }
            let name = problem.path.split(separator: "/").last.map(String.init) ?? ""
            guard problem.path.hasPrefix(Self.lessonsDirectory + "/"), let number = LessonParser.number(fromFileName: name) else {
                return false
            }
            return name.dropFirst(3) == "\(reference).md" || Int(reference) == number
        }
    }

    /// The absolute path of a file given relative to the course root.
    public func absolutePath(_ relative: String) -> String {
        CourseRoot.join(root, relative)
    }
}

// MARK: - Loading

extension Course {
    static let lessonsDirectory = "Lessons"
    static let quizzesDirectory = "quizzes"

    /// Loads the course at `root`. Tolerant: a broken file becomes diagnostics (per-file problems
    /// such as bad front matter or an invalid question) and the rest still loads. Problems that
    /// involve several files (duplicate ids, unknown prerequisites, …) are found by `CourseChecker`.
    /// - Throws: `CourseError` when `root` is missing, not a course, or cannot be read.
    public static func load(root: String) throws -> (Course, [Diagnostic]) {
        let fileManager = FileManager.default
        switch CourseRoot.liveEntryKind(root) {
        case .missing: throw CourseError.notFound(path: root, source: nil)
        case .file: throw CourseError.notADirectory(path: root, source: nil)
        case .directory: break
        }
        let lessonsPath = CourseRoot.join(root, lessonsDirectory)
        guard CourseRoot.liveEntryKind(lessonsPath) == .directory else {
            throw CourseError.notACourse(path: root, source: nil)
        }
        guard let lessonNames = try? fileManager.contentsOfDirectory(atPath: lessonsPath) else {
            throw CourseError.unreadable(path: root)
        }

        var diagnostics: [Diagnostic] = []
        var lessons: [Lesson] = []
        var brokenIDs: Set<String> = []
        var lessonFiles: [String] = []
        var quizFileLessons: Set<String> = []
        // Markdown files other than README.md must be lessons; other files (images, data) are ignored.
        for name in lessonNames.sorted() where name.hasSuffix(".md") && !name.hasPrefix(".") && name.lowercased() != "readme.md" {
            let path = lessonsDirectory + "/" + name
            guard let number = LessonParser.number(fromFileName: name) else {
                diagnostics.append(Diagnostic(path: path, line: 1, message: "lesson file name must be NN-slug.md (two digits, a hyphen, a lowercase slug)"))
                continue
            }
            lessonFiles.append(path)
            guard let text = readText(CourseRoot.join(root, path), path: path, into: &diagnostics) else { continue }
            let output = LessonParser.parse(text: text, path: path, number: number)
            diagnostics += output.diagnostics
            if let lesson = output.lesson {
                lessons.append(lesson)
            } else if let id = output.declaredID {
                brokenIDs.insert(id)
            }
        }

        var quizzes: [Quiz] = []
        let quizzesPath = CourseRoot.join(root, quizzesDirectory)
        if CourseRoot.liveEntryKind(quizzesPath) == .directory {
            if let quizNames = try? fileManager.contentsOfDirectory(atPath: quizzesPath) {
                for name in quizNames.sorted() where !name.hasPrefix(".") {
                    let path = quizzesDirectory + "/" + name
                    if name.hasSuffix(".yml") {
                        diagnostics.append(Diagnostic(path: path, line: 1, message: "quiz files must end in .yaml"))
                        continue
                    }
                    guard name.hasSuffix(".yaml") else { continue }
                    let stem = String(name.dropLast(5))
                    guard LessonParser.isSlug(stem) else {
                        diagnostics.append(Diagnostic(path: path, line: 1, message: "quiz file name must be <lesson-id>.yaml"))
                        continue
                    }
                    quizFileLessons.insert(stem)
                    guard let text = readText(CourseRoot.join(root, path), path: path, into: &diagnostics) else { continue }
                    let output = QuizParser.parse(text: text, path: path, fileLesson: stem)
                    diagnostics += output.diagnostics
                    if let quiz = output.quiz { quizzes.append(quiz) }
                }
            } else {
                diagnostics.append(Diagnostic(path: quizzesDirectory, line: 1, message: "cannot read the quizzes directory"))
            }
        }

        var course = Course(
            root: root, allLessons: lessons, brokenLessonIDs: brokenIDs, quizzes: quizzes, lessonFiles: lessonFiles,
            quizFileLessons: quizFileLessons)
        let (exercises, exerciseDiagnostics) = ExerciseLoader.load(root: root)
        course.exercises = exercises
        diagnostics += exerciseDiagnostics
        course.overLimit = Diagnostic.sorted(diagnostics.filter(\.exceedsInputLimit))
        return (course, Diagnostic.sorted(diagnostics))
    }

    private static func readText(_ absolute: String, path: String, into diagnostics: inout [Diagnostic]) -> String? {
        switch CourseFile.readText(absolute, path: path) {
        case .success(let text): return text
        case .failure(let problem):
            diagnostics.append(problem)
            return nil
        }
    }
}
