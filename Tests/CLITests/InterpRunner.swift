import Foundation
import XCTest

/// Runs the built `interp` binary as a learner would: arguments, piped stdin, an isolated home.
struct InterpRunner {
    struct Result {
        /// The exit status, or the signal number when `signalled`.
        var status: Int32
        /// True when the process was killed by a signal (a crash: SIGSEGV, SIGILL, SIGTRAP…).
        var signalled = false
        /// True when it ran past the timeout and was killed (`signalled` is then true too).
        var timedOut = false
        var stdout: String
        var stderr: String
    }

    /// A fresh temporary home with XDG directories and the repository's course.
    let home: URL
    var environment: [String: String]

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var binary: URL {
        // The test bundle lives in the products directory beside the executable.
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("interp")
        }
        #endif
        return Bundle.main.bundleURL.appendingPathComponent("interp")
    }

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("interp-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent("data/interp"), withIntermediateDirectories: true)
        // A child that exits before reading its stdin must not kill the test process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        environment = [
            "HOME": home.path,
            "XDG_DATA_HOME": home.appendingPathComponent("data").path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path,
            "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "INTERP_COURSE": InterpRunner.repositoryRoot.path,
            "LANG": "C.UTF-8",
        ]
    }

    var databasePath: String { home.appendingPathComponent("data/interp/progress.sqlite").path }

    @discardableResult
    func run(_ arguments: [String], stdin: String = "", environment extra: [String: String] = [:],
             timeout: TimeInterval? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let process = Process()
        process.executableURL = InterpRunner.binary
        process.arguments = arguments
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = home
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        // A run that outlives `timeout` (a FIFO opened for reading blocks, say) is killed.
        nonisolated(unsafe) var killed = false
        let watchdog = DispatchWorkItem {
            if process.isRunning { killed = true; kill(process.processIdentifier, SIGKILL) }
        }
        if let timeout { DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog) }
        defer { watchdog.cancel() }
        try? inPipe.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))  // the child may exit without reading
        try? inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a full pipe never blocks the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = outPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = errPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                      timedOut: killed, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

extension String {
    /// True when the string holds an ANSI escape sequence.
    var hasEscapeCodes: Bool { contains("\u{1B}") }
}
