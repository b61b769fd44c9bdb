import ArgumentParser

/// Exit codes, as DESIGN.md documents them (sysexits where one fits).
enum ExitStatus: Int32 {
    case ok = 0
    case checkFailed = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case software = 70
    case ioError = 74
    case interrupted = 130
}

/// An error a command reports to the learner: one line, and the exit status it implies.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var status: ExitStatus
    /// True when the command already told the learner everything: only the exit status remains.
    var isSilent = false

    init(_ message: String, status: ExitStatus) {
        self.message = message
        self.status = status
    }

    static func usage(_ m: String) -> CLIError { CLIError(m, status: .usage) }
    static func data(_ m: String) -> CLIError { CLIError(m, status: .dataError) }
    static func noInput(_ m: String) -> CLIError { CLIError(m, status: .noInput) }
    static func io(_ m: String) -> CLIError { CLIError(m, status: .ioError) }
    /// A check or grade that ran and failed: exit 1, the message was already printed in full.
    static func failed(_ m: String) -> CLIError { CLIError(m, status: .checkFailed) }

    var description: String { message }

    /// The same error, reported by exit status alone.
    var silent: CLIError { var e = self; e.isSilent = true; return e }
}

/// Errors from the domain modules say which status they imply by conforming to this.
protocol ExitStatusProviding: Error {
    var exitStatus: ExitStatus { get }
}
