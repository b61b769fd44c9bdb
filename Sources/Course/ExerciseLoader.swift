import Foundation

/// Finds and reads the exercises of a course: every directory under `Exercises/` that holds a
/// `manifest.yaml` (other directories, such as the workspace's `Sources/`, are not exercises).
enum ExerciseLoader {
    /// The exercises in id order, and the problems of each file.
    static func load(root: String) -> ([Exercise], [Diagnostic]) {
        let directory = CourseRoot.join(root, Exercise.directory)
        guard CourseRoot.liveEntryKind(directory) == .directory else { return ([], []) }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return ([], [Diagnostic(path: Exercise.directory, line: 1, message: "cannot read the exercises directory")])
        }
        var exercises: [Exercise] = []
        var diagnostics: [Diagnostic] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let manifest = "\(Exercise.directory)/\(name)/manifest.yaml"
            guard CourseRoot.liveEntryKind(CourseRoot.join(root, manifest)) == .file else { continue }
            let text: String
            switch CourseFile.readText(CourseRoot.join(root, manifest), path: manifest) {
            case .success(let read): text = read
            case .failure(let problem):
                diagnostics.append(problem)
                continue
            }
            let output = ExerciseParser.parse(text: text, path: manifest, directoryName: name)
            diagnostics += output.diagnostics
            guard let exercise = output.exercise else { continue }
            if CourseRoot.liveEntryKind(CourseRoot.join(root, exercise.promptPath)) != .file {
                diagnostics.append(Diagnostic(path: manifest, line: exercise.lines.id, message: "missing \(exercise.promptPath)"))
            } else {
                // The prompt is rendered by `ex show`; too deep, it is shown as plain text.
                switch CourseFile.readText(CourseRoot.join(root, exercise.promptPath), path: exercise.promptPath) {
                case .success(let prompt):
                    if let line = InputLimits.markdownExcess(prompt) {
                        diagnostics.append(Diagnostic(path: exercise.promptPath, line: line, message: InputLimits.depthMessage))
                    }
                case .failure(let problem):
                    diagnostics.append(problem)
                }
            }
            exercises.append(exercise)
        }
        return (exercises, diagnostics)
    }
}
