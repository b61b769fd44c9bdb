import Foundation
import Tensor

/// One run of a check: the check program (trusted: it holds the hidden cases and the reference)
/// and the learner's program (in the sandbox), joined by two pipes and nothing else.
///
///     check program  fd 4 ──calls──▶ fd 3  learner's program
///                    fd 3 ◀─answers── fd 4
///
/// The check program writes the report (JSON lines, `RunnerReport(events:)`) on its stdout, which
/// only interp reads. The learner's program gets the model file as its one argument, a scrubbed
/// environment and nothing of the report, the seed, the cases or the database. At the time limit,
/// on Ctrl-C, or once the check is over, the learner's whole sandbox is killed.
struct CheckSession {
    var checkProgram: String
    /// nil: only trivial answerers (`answerers` without `learner`), no learner's program.
    var learnerProgram: String?
    var modelPath: String
    var seed: UInt64
    var seeds = 1
    /// `--answerers` of the check program (nil: the learner only).
    var answerers: [String]?
    /// Wall-clock limit of the learner's program.
    var timeLimit: Double
    var memoryLimitMB: Int
    var sandbox: Sandbox
    /// Read-only paths the learner's program needs besides its binary and the model (the runtime).
    var runtimePaths: [String]
    /// Paths that must stay invisible to it.
    var hidden: [String]
    /// An empty directory: the working directory of an unsandboxed learner's program.
    var scratch: String

    struct Result {
        var report: RunnerReport?
        var checker: LimitedProcess.Ending
        var checkerStderr: String
        /// How the learner's program ended (signals decoded from bubblewrap's 128 + N).
        var learner: LimitedProcess.Ending?
        /// The learner's program was still running when the check program had ended, and was killed.
        var lingered = false
        var learnerStdout: String
        var learnerStdoutBytes: Int
        var learnerStderr: String
        var seconds: Double
    }

    /// The learner's program's limits: the CPU limit stops a busy loop a little after the wall clock would.
    var learnerLimits: ResourceLimits {
        ResourceLimits(cpuSeconds: Int(timeLimit.rounded(.up)) + 1, addressSpaceMB: memoryLimitMB, processes: 64, fileSizeMB: 16)
    }

    /// The learner's program sees itself as /sandbox/program and the model as /sandbox/model.safetensors.
    func learnerJob(_ program: String) -> SandboxJob {
        let placed = [(host: program, inside: "/sandbox/program"), (host: modelPath, inside: "/sandbox/model.safetensors")]
        return SandboxJob(argv: placed.map { sandbox.visiblePath(host: $0.host, inside: $0.inside) }, readOnly: runtimePaths, placed: placed,
                          environment: LearnerProgram.environment(), workingDirectory: scratch, limits: learnerLimits, hidden: hidden)
    }

    func run() throws -> Result {
        let start = Date()
        let calls = try PipePair(), answers = try PipePair()
        let checkOut = try PipePair(), checkErr = try PipePair()
        var parentEnds = [calls.read, calls.write, answers.read, answers.write, checkOut.write, checkErr.write]
        defer { for fd in parentEnds { close(fd) } }

        var learner: ChildProcess?
        var learnerOut: OutputCollector?, learnerErr: OutputCollector?
        if let learnerProgram {
            let out = try PipePair(), err = try PipePair()
            let argv = sandbox.commandLine(for: learnerJob(learnerProgram))
            do {
                learner = try ChildProcess.spawn(argv, environment: LearnerProgram.environment(), workingDirectory: scratch,
                                                 descriptors: [1: out.write, 2: err.write, 3: calls.read, 4: answers.write])
            } catch {
                for fd in [out.read, out.write, err.read, err.write] { close(fd) }
                throw error
            }
            close(out.write)
            close(err.write)
            learnerOut = OutputCollector(out.read, limit: 64 << 10)
            learnerErr = OutputCollector(err.read, limit: 64 << 10)
        }
        var argv = [checkProgram, "--seed", "\(seed)", "--model", modelPath]
        if seeds > 1 { argv += ["--seeds", "\(seeds)"] }
        if let answerers { argv += ["--answerers", answerers.joined(separator: ",")] }
        let deathSignal = sandbox.setpriv.map { [$0, "--pdeathsig", "KILL", "--"] } ?? []
        let checker: ChildProcess
        do {
            checker = try ChildProcess.spawn(deathSignal + argv, environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1"],
                                             descriptors: [1: checkOut.write, 2: checkErr.write, 3: answers.read, 4: calls.write])
        } catch {
            learner?.stop()
            throw error
        }
        // Only the two programs hold the pipes now: when one ends, the other sees the end.
        for fd in parentEnds { close(fd) }
        parentEnds = []
        let report = OutputCollector(checkOut.read, limit: 64 << 20), checkerErr = OutputCollector(checkErr.read, limit: 64 << 10)

        let deadline = start.addingTimeInterval(timeLimit)
        var checkerStatus: ChildProcess.Status?, learnerStatus: ChildProcess.Status?
        var stopped: LimitedProcess.Ending?   // set when interp had to stop the learner's program
        var lingered = false
        while checkerStatus == nil || (learner != nil && learnerStatus == nil) {
            if checkerStatus == nil { checkerStatus = checker.poll() }
            if let l = learner, learnerStatus == nil { learnerStatus = l.poll() }
            if checkerStatus != nil, learner != nil, learnerStatus == nil {
                // The check is over: the learner's program has a moment to see the end of its input.
                learnerStatus = learner?.wait(until: Date().addingTimeInterval(2))
                if learnerStatus == nil { lingered = true; learnerStatus = learner?.stop() }
            }
            if Cancellation.isRequested || Date() >= deadline {
                stopped = Cancellation.isRequested ? .interrupted : .timedOut
                if let l = learner, learnerStatus == nil { learnerStatus = l.stop() }
                // The check program sees the learner's end and writes its report; it has a few seconds.
                if checkerStatus == nil { checkerStatus = checker.wait(until: Date().addingTimeInterval(stopped == .interrupted ? 0 : 5)) ?? checker.stop() }
                break
            }
            usleep(5_000)
        }
        learner?.killGroup()
        checker.killGroup()
        let lines = report.finish().text
        let out = learnerOut?.finish() ?? (text: "", bytes: 0), err = learnerErr?.finish() ?? (text: "", bytes: 0)
        return Result(report: RunnerReport(events: lines), checker: checkerStatus.map(LimitedProcess.Ending.init) ?? .timedOut,
                      checkerStderr: checkerErr.finish().text,
                      learner: stopped ?? learnerStatus.map { decodeLearner($0) }, lingered: lingered, learnerStdout: out.text, learnerStdoutBytes: out.bytes,
                      learnerStderr: err.text, seconds: Date().timeIntervalSince(start))
    }

    /// bubblewrap exits with 128 + N when the program in it was killed by signal N.
    private func decodeLearner(_ status: ChildProcess.Status) -> LimitedProcess.Ending {
        if sandbox.kind == .bubblewrap, case .exited(let code) = status, code > 128, code < 128 + 65 { return .signalled(code - 128) }
        return LimitedProcess.Ending(status)
    }
}
