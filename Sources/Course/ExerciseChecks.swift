import Foundation

/// The cross-file checks of exercises, run by `CourseChecker.check(_:)`.
extension CourseChecker {
    /// Unknown lessons (a warning: the hands-on lessons may be written after their exercises),
    /// unknown models and graders, and, for code exercises, the stub, the learner's file and the
    /// workspace targets in `Exercises/Package.swift`, and targets used twice.
    func exerciseLinks(_ course: Course) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let lessonIDs = Set(course.allLessons.map(\.id)).union(course.brokenLessonIDs)
        let workspace = course.absolutePath("\(Exercise.directory)/Package.swift")
        let manifestText = FileManager.default.contents(atPath: workspace).map { String(decoding: $0, as: UTF8.self) }
        var targets: [String: Exercise] = [:]
        for exercise in course.exercises {
            let path = exercise.manifestPath
            if !lessonIDs.contains(exercise.lesson) {
                var message = "no lesson has id '\(exercise.lesson)' yet"
                if let guess = Suggestion.closest(to: exercise.lesson, among: course.lessons.map(\.id)) { message += " (did you mean '\(guess)'?)" }
                diagnostics.append(Diagnostic(path: path, line: exercise.lines.lesson, message: message, severity: .warning))
            }
            if let knownModels, !knownModels.isEmpty, !knownModels.contains(exercise.model) {
                diagnostics.append(Diagnostic(path: path, line: exercise.lines.model,
                                              message: "unknown model '\(exercise.model)' (\(Suggestion.listing(exercise.model, among: knownModels.sorted())))"))
            }
            if let grader = exercise.grader, let knownGraders, !knownGraders.contains(grader) {
                diagnostics.append(Diagnostic(path: path, line: exercise.lines.grader,
                                              message: "unknown grader '\(grader)' (\(Suggestion.listing(grader, among: knownGraders.sorted())))"))
            }
            guard exercise.kind == .code, let target = exercise.target else { continue }
            if let first = targets[target] {
                diagnostics.append(Diagnostic(path: path, line: exercise.lines.target,
                                              message: "target '\(target)' is also used by \(first.manifestPath)"))
            } else {
                targets[target] = exercise
            }
            if CourseRoot.liveEntryKind(course.absolutePath(exercise.stubPath)) != .file {
                diagnostics.append(Diagnostic(path: path, line: exercise.lines.id, message: "missing the stub \(exercise.stubPath)"))
            }
            if let learner = exercise.learnerPath, CourseRoot.liveEntryKind(course.absolutePath(learner)) != .file {
                diagnostics.append(Diagnostic(path: path, line: exercise.lines.file,
                                              message: "missing \(learner) (copy the stub there, or run 'interp ex reset \(exercise.id)')"))
            }
            guard let manifestText else {
                diagnostics.append(Diagnostic(path: path, line: exercise.lines.target,
                                              message: "code exercises need the workspace \(Exercise.directory)/Package.swift"))
                continue
            }
            for name in [target] where !manifestText.contains("\"\(name)\"") {
                diagnostics.append(Diagnostic(path: path, line: exercise.lines.target,
                                              message: "\(Exercise.directory)/Package.swift declares no target '\(name)'"))
            }
        }
        return diagnostics
    }
}
