import Foundation
import Tensor

/// Runs a program with a wall-clock limit in a session of its own, capturing its output. At the
/// limit, on Ctrl-C (`Cancellation`) and when interp dies before it, its whole process group is
/// killed, not only the program. A crash or a hang of the child is reported in the result; it
/// never takes the caller down.
public struct LimitedProcess: Sendable {
    /// How a run ended.
    public enum Ending: Sendable, Equatable {
        /// The program exited with this status.
        case exited(Int32)
        /// The program was killed by this signal (a crash: SIGILL/SIGTRAP for a Swift trap, SIGSEGV, …).
        case signalled(Int32)
        /// The wall-clock limit passed and the program was killed.
        case timedOut
        /// Ctrl-C: the program was killed.
        case interrupted
    }

    public struct Result: Sendable {
        public var ending: Ending
        /// The end of each stream (at most `outputLimit` bytes).
        public var stdout: String
        public var stderr: String
        /// How many bytes the program wrote to stdout in all.
        public var stdoutBytes: Int
        public var seconds: Double
    }

    /// The program (a path, or a name looked up in `PATH`).
    public var executable: String
    public var arguments: [String]
    public var environment: [String: String]
    public var workingDirectory: String?
    /// Wall-clock limit in seconds.
    public var timeLimit: Double
    /// At most this many bytes of the end of each stream are kept (the rest is drained and dropped).
    public var outputLimit = 1 << 20

    public init(executable: String, arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
                workingDirectory: String? = nil, timeLimit: Double) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeLimit = timeLimit
    }

    /// Runs `executable` with `arguments` and waits for it (or for the limit, or Ctrl-C).
    /// - Throws: only when the program cannot be started at all.
    public func run() throws -> Result {
        let program = executable.contains("/") ? executable : Sandbox.which(executable, environment) ?? executable
        return try run(argv: [program] + arguments)
    }

    /// A whole command line (`commandLine[0]` the program).
    init(commandLine: [String], environment: [String: String], workingDirectory: String? = nil, timeLimit: Double) {
        self.init(executable: commandLine.first ?? "", arguments: Array(commandLine.dropFirst()), environment: environment,
                  workingDirectory: workingDirectory, timeLimit: timeLimit)
    }

    private func run(argv: [String]) throws -> Result {
        let out = try PipePair(), err = try PipePair()
        let start = Date()
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(argv, environment: environment, workingDirectory: workingDirectory,
                                           descriptors: [1: out.write, 2: err.write])
        } catch {
            for fd in [out.read, out.write, err.read, err.write] { close(fd) }
            throw error
        }
        close(out.write)
        close(err.write)
        let stdout = OutputCollector(out.read, limit: outputLimit), stderr = OutputCollector(err.read, limit: outputLimit)
        var ending: Ending
        if let status = child.wait(until: start.addingTimeInterval(timeLimit), cancelled: { Cancellation.isRequested }) {
            ending = Ending(status)
            child.killGroup()   // what it left behind in its group
        } else {
            ending = Cancellation.isRequested ? .interrupted : .timedOut
            child.stop()
        }
        let (o, e) = (stdout.finish(), stderr.finish())
        return Result(ending: ending, stdout: o.text, stderr: e.text, stdoutBytes: o.bytes, seconds: Date().timeIntervalSince(start))
    }
}

extension LimitedProcess.Ending {
    init(_ status: ChildProcess.Status) {
        switch status {
        case .exited(let code): self = .exited(code)
        case .signalled(let s): self = .signalled(s)
        }
    }

    /// A readable name of a signal number.
    static func signalName(_ s: Int32) -> String {
        switch s {
        case SIGILL: return "SIGILL (a Swift runtime trap: force-unwrap of nil, index out of range, overflow, fatalError)"
        case SIGTRAP: return "SIGTRAP (a Swift runtime trap: force-unwrap of nil, index out of range, overflow, fatalError)"
        case SIGSEGV: return "SIGSEGV (invalid memory access, or out of memory)"
        case SIGBUS: return "SIGBUS (invalid memory access)"
        case SIGABRT: return "SIGABRT (aborted, often out of memory)"
        case SIGKILL: return "SIGKILL"
        case SIGXCPU: return "SIGXCPU (the CPU-time limit)"
        case SIGXFSZ: return "SIGXFSZ (a file larger than the limit)"
        case SIGFPE: return "SIGFPE (arithmetic error such as division by zero)"
        default: return "signal \(s)"
        }
    }
}
