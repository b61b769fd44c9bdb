import Foundation

/// Runs a program with a wall-clock limit and (through `/bin/sh -c 'ulimit -v …; exec …'`) a
/// memory limit, capturing its output. A crash, a hang or a memory blow-up of the child is reported
/// in the result; it never takes the caller down.
public struct LimitedProcess: Sendable {
    /// How a run ended.
    public enum Ending: Sendable, Equatable {
        /// The program exited with this status.
        case exited(Int32)
        /// The program was killed by this signal (a crash: SIGILL/SIGTRAP for a Swift trap, SIGSEGV, …).
        case signalled(Int32)
        /// The wall-clock limit passed and the program was killed.
        case timedOut
    }

    public struct Result: Sendable {
        public var ending: Ending
        public var stdout: String
        public var stderr: String
        public var seconds: Double
    }

    public var executable: String
    public var arguments: [String]
    public var environment: [String: String]?
    public var workingDirectory: String?
    /// Wall-clock limit in seconds.
    public var timeLimit: Double
    /// Virtual-memory limit in megabytes (nil: none).
    public var memoryLimitMB: Int?
    /// At most this many bytes of each stream are kept (the rest is dropped).
    public var outputLimit = 1 << 20

    public init(executable: String, arguments: [String], environment: [String: String]? = nil, workingDirectory: String? = nil,
                timeLimit: Double, memoryLimitMB: Int? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeLimit = timeLimit
        self.memoryLimitMB = memoryLimitMB
    }

    /// Runs the program and waits for it (or for the time limit).
    /// - Throws: only when the program cannot be started at all (missing `/bin/sh`).
    public func run() throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let limit = memoryLimitMB.map { "ulimit -v \($0 * 1024) 2>/dev/null; " } ?? ""
        process.arguments = ["-c", limit + "exec \"$0\" \"$@\"", executable] + arguments
        if let environment { process.environment = environment }
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        let group = DispatchGroup()
        let collected = Collected()
        let limit2 = outputLimit
        for (pipe, isOut) in [(outPipe, true), (errPipe, false)] {
            group.enter()
            DispatchQueue.global().async {
                let data = Self.read(pipe.fileHandleForReading, limit: limit2)
                collected.set(data, isOut: isOut)
                group.leave()
            }
        }
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { process.waitUntilExit(); finished.signal() }
        var timedOut = false
        if finished.wait(timeout: .now() + timeLimit) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        _ = group.wait(timeout: .now() + 5)
        let seconds = Date().timeIntervalSince(start)
        let ending: Ending
        if timedOut { ending = .timedOut }
        else if process.terminationReason == .uncaughtSignal { ending = .signalled(process.terminationStatus) }
        else { ending = .exited(process.terminationStatus) }
        let (out, err) = collected.get()
        return Result(ending: ending, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self), seconds: seconds)
    }

    /// Reads to end of file, keeping at most `limit` bytes (draining the rest so the child never blocks).
    private static func read(_ handle: FileHandle, limit: Int) -> Data {
        var kept = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            if kept.count < limit { kept.append(chunk.prefix(limit - kept.count)) }
        }
        return kept
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var out = Data(), err = Data()
        func set(_ d: Data, isOut: Bool) { lock.lock(); if isOut { out = d } else { err = d }; lock.unlock() }
        func get() -> (Data, Data) { lock.lock(); defer { lock.unlock() }; return (out, err) }
    }
}

extension LimitedProcess.Ending {
    /// A readable name of a signal number.
    static func signalName(_ s: Int32) -> String {
        switch s {
        case SIGILL: return "SIGILL (a Swift runtime trap: force-unwrap of nil, index out of range, overflow, fatalError)"
        case SIGTRAP: return "SIGTRAP (a Swift runtime trap: force-unwrap of nil, index out of range, overflow, fatalError)"
        case SIGSEGV: return "SIGSEGV (invalid memory access, or out of memory)"
        case SIGBUS: return "SIGBUS (invalid memory access)"
        case SIGABRT: return "SIGABRT (aborted, often out of memory)"
        case SIGKILL: return "SIGKILL"
        case SIGFPE: return "SIGFPE (arithmetic error such as division by zero)"
        default: return "signal \(s)"
        }
    }
}
