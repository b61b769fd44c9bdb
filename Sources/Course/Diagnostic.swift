/// One problem found in a course file, pointing at a line of that file.
///
/// Printed as `path:line: message` (warnings as `path:line: warning: message`), where `path` is
/// relative to the course root and `line` is 1-based.
public struct Diagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// How serious a problem is. Errors make `course check` fail; warnings are advice.
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    /// The file, relative to the course root (for example `Lessons/01-why-hard.md`).
    public var path: String
    /// The 1-based line in that file.
    public var line: Int
    /// One line, lower case, no trailing full stop.
    public var message: String
    public var severity: Severity

    public init(path: String, line: Int, message: String, severity: Severity = .error) {
        self.path = path
        self.line = max(1, line)
        self.message = message
        self.severity = severity
    }

    /// True for a file refused by `InputLimits` (nested too deeply, too large): interp reports
    /// these from every command, not only from `course check`.
    public var exceedsInputLimit: Bool {
        message == InputLimits.depthMessage || message == InputLimits.sizeMessage
    }

    /// `path:line: message`, with `warning: ` before the message of a warning.
    public var description: String {
        switch severity {
        case .error: return "\(path):\(line): \(message)"
        case .warning: return "\(path):\(line): warning: \(message)"
        }
    }

    /// Orders diagnostics by file, then line, then message, for stable output.
    public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted { a, b in
            if a.path != b.path { return a.path < b.path }
            if a.line != b.line { return a.line < b.line }
            return a.message < b.message
        }
    }
}

extension Array where Element == Diagnostic {
    /// True when at least one diagnostic is an error (not only warnings).
    public var containsErrors: Bool { contains { $0.severity == .error } }
}
