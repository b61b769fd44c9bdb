import Foundation

/// Reading a file interp does not control: only a regular file (a FIFO or a device would block or
/// never end), at most `InputLimits.maximumFileBytes`.
public enum InputFile {
    /// Why a file was not read.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case missing, notRegular, tooLarge, unreadable

        public var description: String {
            switch self {
            case .missing: "no such file"
            case .notRegular: "not a regular file"
            case .tooLarge: InputLimits.sizeMessage
            case .unreadable: "cannot read the file"
            }
        }
    }

    /// The bytes of the file at `path`.
    public static func read(_ path: String) throws(Problem) -> Data {
        var info = stat()
        guard stat(path, &info) == 0 else { throw errno == ENOENT ? .missing : .unreadable }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notRegular }
        guard info.st_size <= InputLimits.maximumFileBytes else { throw .tooLarge }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable }
        guard data.count <= InputLimits.maximumFileBytes else { throw .tooLarge }
        return data
    }
}

/// Reading one text file of a course; every refusal is a diagnostic at line 1.
enum CourseFile {
    /// The UTF-8 text of the file at `absolute`, reported as `path` (relative to the course root).
    static func readText(_ absolute: String, path: String) -> Result<String, Diagnostic> {
        do {
            guard let text = String(data: try InputFile.read(absolute), encoding: .utf8) else {
                return .failure(Diagnostic(path: path, line: 1, message: "the file is not valid UTF-8 text"))
            }
            return .success(text)
        } catch {
            return .failure(Diagnostic(path: path, line: 1, message: error == .missing ? "cannot read the file" : error.description))
        }
    }
}
