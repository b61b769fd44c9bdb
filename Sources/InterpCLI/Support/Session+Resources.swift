import Course
import Foundation
import Progress

/// The course and the progress database, found and opened on first use.
extension Session {
    /// The course directory this run uses (see `CourseRoot.resolve`).
    func courseRoot() throws -> String {
        try CourseRoot.resolve(option: courseOverride, environment: environment,
                               workingDirectory: FileManager.default.currentDirectoryPath,
                               fallback: SourceTree.root).path
    }

    /// The course, loaded afresh (cheap), so edits to lessons show at once in a running REPL.
    /// Files refused for their depth or size are named on stderr, once per command.
    func course() throws -> Course {
        let course = try Course.load(root: try courseRoot()).0
        for problem in course.overLimit where reportedProblems.insert(problem.description).inserted {
            err("interp: \(problem)")
        }
        return course
    }

    /// The progress database (opened once per session, created with its directory if missing).
    func database() throws -> AppDatabase {
        let path = DatabaseLocation.resolve(explicitPath: dbOverride, environment: environment,
                                            homeDirectory: homeDirectory.path)
        if let open = openDatabase, open.path == path { return open.db }
        // A path the learner typed must be in an existing directory: a typo must not quietly start
        // an empty progress file somewhere new. (The default location is created when missing.)
        let explicit = dbOverride.map { ("--db", $0) } ?? environment["INTERP_DB"].flatMap { $0.isEmpty ? nil : ("INTERP_DB", $0) }
        if let (source, given) = explicit {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw CLIError.noInput("\(source) \(given): no such directory \(directory)")
            }
        }
        let db = try AppDatabase(path: path)
        openDatabase = (path, db)
        return db
    }

    /// Lesson ids the learner has completed.
    func completedLessons() throws -> Set<String> {
        Set(try database().lessonProgress().filter(\.isCompleted).map(\.lessonID))
    }

    /// The lesson the learner is on: the REPL's current one, else the one opened most recently.
    func currentLesson(in course: Course) throws -> Lesson? {
        if let id = currentLessonID, let lesson = course.lesson(id: id) { return lesson }
        let recent = try database().lessonProgress().max { $0.updatedAt < $1.updatedAt }
        return recent.flatMap { course.lesson(id: $0.lessonID) }
    }
}

/// The source tree this binary was built from: the course of last resort.
enum SourceTree {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Support/ InterpCLI/ Sources/ <root>
        return url.path
    }()
}

// MARK: - Exit statuses of domain errors

extension CourseError: ExitStatusProviding {
    var exitStatus: ExitStatus {
        switch self {
        case .notFound, .noCourseFound: return .noInput
        case .notADirectory, .notACourse: return .noInput
        case .unreadable: return .ioError
        }
    }
}

extension ProgressStoreError: ExitStatusProviding {
    var exitStatus: ExitStatus {
        switch self {
        case .newerSchema, .notADatabase, .foreignDatabase, .dateOutOfRange, .storedDateOutOfRange: return .dataError
        case .invalidValue: return .usage
        case .isDirectory, .notARegularFile, .cannotCreateDirectory, .unwritable, .locked, .sqlite: return .ioError
        }
    }
}
