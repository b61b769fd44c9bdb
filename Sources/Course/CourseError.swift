/// Errors that stop a course from loading at all (as opposed to diagnostics about single files).
/// Each description is one line naming the directory or the argument.
public enum CourseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The directory does not exist (`source` says which argument named it, if any).
    case notFound(path: String, source: CourseRoot.Source?)
    /// The path exists but is a file.
    case notADirectory(path: String, source: CourseRoot.Source?)
    /// The directory exists but has no `Lessons/` folder.
    case notACourse(path: String, source: CourseRoot.Source?)
    /// The directory (or its `Lessons/` folder) cannot be listed.
    case unreadable(path: String)
    /// No `--course`, no `$INTERP_COURSE`, no ancestor with `Lessons/`, no usable fallback.
    case noCourseFound(workingDirectory: String)

    public var description: String {
        switch self {
        case let .notFound(path, source):
            return "\(CourseRoot.Source.label(source, path)): no such directory"
        case let .notADirectory(path, source):
            return "\(CourseRoot.Source.label(source, path)): not a directory"
        case let .notACourse(path, source):
            return "\(CourseRoot.Source.label(source, path)): not a course directory (no Lessons/ folder)"
        case let .unreadable(path):
            return "\(path): cannot read the course directory"
        case let .noCourseFound(workingDirectory):
            return "no course found from \(workingDirectory): pass --course DIR or set INTERP_COURSE"
        }
    }
}
