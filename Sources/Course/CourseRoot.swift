import Foundation

/// Finds the course directory: `--course DIR`, then `$INTERP_COURSE`, then the nearest ancestor of
/// the working directory holding `Lessons/`, then a fallback the caller passes (the source tree the
/// binary was built from). Pure: the environment and the file system are injected.
public enum CourseRoot {
    /// Where a course root came from; used to phrase errors.
    public enum Source: String, Sendable, Hashable, Codable {
        case option, environment, ancestor, fallback

        static func label(_ source: Source?, _ path: String) -> String {
            switch source {
            case .option: return "--course \(path)"
            case .environment: return "INTERP_COURSE=\(path)"
            case .ancestor, .fallback, nil: return path
            }
        }
    }

    /// A resolved course root: an absolute, normalised path and where it came from.
    public struct Resolved: Sendable, Hashable {
        public let path: String
        public let source: Source

        public init(path: String, source: Source) {
            self.path = path
            self.source = source
        }
    }

    /// What is at a path.
    public enum EntryKind: Sendable, Hashable {
        case missing, file, directory
    }

    /// Environment variable that names a course directory.
    public static let environmentKey = "INTERP_COURSE"

    /// Resolves the course root.
    /// - Parameters:
    ///   - option: the `--course` argument, if given (relative paths are taken from `workingDirectory`).
    ///   - environment: the process environment (only `INTERP_COURSE` is read; empty means unset).
    ///   - workingDirectory: an absolute path.
    ///   - fallback: the compiled-in course directory, used last if it holds `Lessons/`.
    ///   - entryKind: probes the file system; defaults to the real one.
    /// - Throws: `CourseError` naming the argument or directory.
    public static func resolve(
        option: String?,
        environment: [String: String],
        workingDirectory: String,
        fallback: String?,
        entryKind: (String) -> EntryKind = CourseRoot.liveEntryKind
    ) throws -> Resolved {
        if let option, !option.isEmpty {
            return try explicit(option, source: .option, workingDirectory: workingDirectory, entryKind: entryKind)
        }
        if let value = environment[environmentKey], !value.isEmpty {
            return try explicit(value, source: .environment, workingDirectory: workingDirectory, entryKind: entryKind)
        }
        var directory = normalise(workingDirectory, relativeTo: "/")
        while true {
            if entryKind(join(directory, "Lessons")) == .directory {
                return Resolved(path: directory, source: .ancestor)
            }
            if directory == "/" { break }
            directory = parent(of: directory)
        }
        if let fallback, !fallback.isEmpty {
            let path = normalise(fallback, relativeTo: workingDirectory)
            if entryKind(join(path, "Lessons")) == .directory {
                return Resolved(path: path, source: .fallback)
            }
        }
        throw CourseError.noCourseFound(workingDirectory: workingDirectory)
    }

    /// The real file system probe (follows symbolic links).
    public static func liveEntryKind(_ path: String) -> EntryKind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory.boolValue ? .directory : .file
    }

    private static func explicit(
        _ given: String, source: Source, workingDirectory: String, entryKind: (String) -> EntryKind
    ) throws -> Resolved {
        let path = normalise(given, relativeTo: workingDirectory)
        switch entryKind(path) {
        case .missing: throw CourseError.notFound(path: given, source: source)
        case .file: throw CourseError.notADirectory(path: given, source: source)
        case .directory: break
        }
        guard entryKind(join(path, "Lessons")) == .directory else {
            throw CourseError.notACourse(path: given, source: source)
        }
        return Resolved(path: path, source: source)
    }

    /// Makes `path` absolute against `base` and removes `.`, `..` and repeated slashes, without
    /// touching the file system.
    static func normalise(_ path: String, relativeTo base: String) -> String {
        let full = path.hasPrefix("/") ? path : base + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
