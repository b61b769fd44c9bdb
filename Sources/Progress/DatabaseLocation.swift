import Foundation

/// Where the progress database lives.
public enum DatabaseLocation {
    /// The database file name inside the data directory.
    public static let fileName = "progress.sqlite"

    /// The database path: `explicitPath` (from `--db`) if given, else `INTERP_DB`, else
    /// `$XDG_DATA_HOME/interp/progress.sqlite` (an absolute `XDG_DATA_HOME` only, as the XDG
    /// specification asks), else `~/.local/share/interp/progress.sqlite`. Empty values count as
    /// unset; a leading `~/` in an explicit path or `INTERP_DB` is expanded.
    public static func resolve(explicitPath: String?, environment: [String: String],
                               homeDirectory: String) -> String {
        let home = nonEmpty(environment["HOME"]) ?? homeDirectory
        if let path = nonEmpty(explicitPath) ?? nonEmpty(environment["INTERP_DB"]) {
            return expandingTilde(path, home: home)
        }
        if let dataHome = nonEmpty(environment["XDG_DATA_HOME"]), dataHome.hasPrefix("/") {
            return join(dataHome, "interp", fileName)
        }
        return join(home, ".local/share/interp", fileName)
    }

    /// `resolve` with this process's environment and home directory.
    public static func resolve(explicitPath: String?) -> String {
        resolve(explicitPath: explicitPath, environment: ProcessInfo.processInfo.environment,
                homeDirectory: NSHomeDirectory())
    }

    /// Creates the directory that will hold `path` when it is missing.
    static func createParentDirectory(of path: String) throws(ProgressStoreError) {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw .cannotCreateDirectory(path: directory, reason: "a file of that name exists")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreateDirectory(path: directory, reason: reason(for: error))
        }
    }

    private static func reason(for error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    private static func expandingTilde(_ path: String, home: String) -> String {
        if path == "~" { return home }
        guard path.hasPrefix("~/") else { return path }
        return join(home, String(path.dropFirst(2)))
    }

    private static func join(_ parts: String...) -> String {
        parts.dropFirst().reduce(parts[0]) { result, part in
            result.hasSuffix("/") ? result + part : result + "/" + part
        }
    }
}
