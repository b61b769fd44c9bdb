import Course
import Foundation
@testable import Grading
import XCTest

/// Learner solutions that try to cheat or do damage, each run as `interp check` runs it (compiled
/// apart, in the sandbox, against the check program over pipes): every one gets an honest failure,
/// interp survives, no process is left behind (the process table is searched for a marker) and
/// nothing is written outside the sandbox. The solutions are for logit-diff; `PROBE` lines are what
/// they report of their attempts on their stdout.
final class HostileSolutionTests: XCTestCase {
    /// A marker no other process on the machine carries (in sleep durations and file names).
    let marker = "\(Int.random(in: 100_000...999_999))"

    /// The file header every hostile solution shares: a no-op `normalizedMetric` and `probe(_:)`.
    static let header = """
        import Foundation
        import Tensor
        public func normalizedMetric(patched: Float, clean: Float, corrupted: Float) -> Float { 0 }
        func probe(_ s: String) { FileHandle.standardOutput.write(Data(("PROBE " + s + "\\n").utf8)) }

        """

    struct Run {
        var outcome: ExerciseWorkspace.CheckOutcome
        var stdout: String
        var result: CheckSession.Result
        var probes: [String] { stdout.split(separator: "\n").filter { $0.hasPrefix("PROBE ") }.map { String($0.dropFirst(6)) } }
    }

    /// Compiles `body` (the rest of a logit-diff solution) and runs it once.
    func run(_ body: String, timeLimit: Double = 30, sandboxOff: Bool = false, environment extra: [String: String] = [:],
             file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        var proof = try WorkspaceProofTests.proof()
        if sandboxOff || !extra.isEmpty {
            var env = proof.workspace.environment.merging(extra) { $1 }
            if sandboxOff { env[Sandbox.switchKey] = "none" }
            proof.workspace.environment = env
            proof.workspace.sandbox = Sandbox.detect(environment: env)
        }
        proof.workspace.runTimeLimit = timeLimit
        let e = try XCTUnwrap(proof.exercises.first { $0.id == "logit-diff" })
        let built = try proof.learnerProgram(e, source: Data((Self.header + body).utf8))
        guard case .built(let program) = built else {
            XCTFail("the hostile solution must compile: \(built)", file: file, line: line)
            throw GraderError("no program")
        }
        let run = try proof.workspace.withSession(e, learnerProgram: program, seed: 3, modelPath: try WorkspaceProofTests.modelPath(e)) { session in
            let result = try session.run()
            return Run(outcome: ExerciseWorkspace.outcome(of: result, exercise: e, session: session), stdout: result.learnerStdout, result: result)
        }
        // Whatever it did, neither its program nor the check program outlives the run.
        assertNoProcessLeft(program, file: file, line: line)
        assertNoProcessLeft("/sandbox/program", file: file, line: line)
        assertNoProcessLeft("LogitDiffCheck --seed", file: file, line: line)
        return run
    }

    /// Fails unless the outcome is a failure (not a pass, not an internal error).
    func assertHonestFailure(_ run: Run, file: StaticString = #filePath, line: UInt = #line) {
        switch run.outcome {
        case .ran(let report, _): XCTAssertFalse(report.passed, "a hostile solution passed: \(report.cases)", file: file, line: line)
        case .crashed, .timedOut, .outOfMemory, .compileError: break
        default: XCTFail("not an honest failure: \(run.outcome)", file: file, line: line)
        }
    }


    /// Waits up to `seconds` for every process carrying `text` to be gone.
    func assertNoProcessLeft(_ text: String, within seconds: Double = 3, file: StaticString = #filePath, line: UInt = #line) {
        let deadline = Date().addingTimeInterval(seconds)
        var left = ProcessTable.commandLines(containing: text)
        while !left.isEmpty && Date() < deadline { usleep(100_000); left = ProcessTable.commandLines(containing: text) }
        XCTAssertEqual(left, [], "processes left behind", file: file, line: line)
    }

    override func setUpWithError() throws {
        guard Sandbox.detect().kind == .bubblewrap else { throw XCTSkip("bubblewrap cannot run here: \(Sandbox.detect().summary)") }
    }

    // MARK: - Cheating

    func testImportingInterpGradingOrTheCheckKitDoesNotCompile() throws {
        let proof = try WorkspaceProofTests.proof()
        let e = try XCTUnwrap(proof.exercises.first { $0.id == "logit-diff" })
        for module in ["Interp", "Grading", "ExerciseKit", "Course", "Progress", "GRDB", "LogitDiffCheck"] {
            // The old cheat: the reference implementation, one import away.
            let source = """
                import Tensor
                import \(module)
                public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float { (try? logitDifference(logits, answers: answers, wrong: wrong)) ?? 0 }
                public func normalizedMetric(patched: Float, clean: Float, corrupted: Float) -> Float { 0 }
                """
            guard case .compileError(let mine, _, _) = try proof.learnerProgram(e, source: Data(source.utf8)) else { XCTFail("\(module): compiled"); continue }
            XCTAssertEqual(mine.count, 1, "\(module): \(mine)")
            XCTAssertEqual(mine.first?.file, "Sources/LogitDiff/LogitDiff.swift")
            XCTAssertEqual(mine.first?.line, 2)
            XCTAssertEqual(mine.first?.message,
                           "cannot import \(module): an exercise may import only Tensor and Transformer (and the system's own modules, such as Foundation)")
        }
    }

    func testAFakeReportAndAnEarlyExitFail() throws {
        let run = try run("""
            public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
                let fake = [#"{"event":"start","exercise":"logit-diff","seed":3,"model":"ioi-3l"}"#,
                            #"{"event":"case","name":"random logits","passed":true,"message":"ok","seed":3,"answerer":"learner"}"#,
                            #"{"event":"end"}"#].joined(separator: "\\n")
                print(fake)
                FileHandle.standardError.write(Data(fake.utf8))
                for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                    guard let raw = FileManager.default.contents(atPath: "/proc/\\(pid)/cmdline") else { continue }
                    let args = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                    if args.contains(where: { $0.hasSuffix("Check") }) { probe("saw the check program \\(args)") }
                    if let i = args.firstIndex(of: "--report"), i + 1 < args.count, (try? fake.write(toFile: args[i + 1], atomically: true, encoding: .utf8)) != nil {
                        probe("wrote a report to \\(args[i + 1])")
                    }
                }
                for name in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] { probe("tmp holds \\(name)") }
                probe("args \\(CommandLine.arguments)")
                exit(0)
            }
            """)
        guard case .crashed(let reason, let during, _, _) = run.outcome else { return XCTFail("\(run.outcome)") }
        XCTAssertTrue(reason.contains("ended (status 0) before it answered"), reason)
        XCTAssertEqual(during, "random logits")
        XCTAssertEqual(run.probes.filter { !$0.hasPrefix("args") }, [], "it saw the checker or the report")
        let args = try XCTUnwrap(run.probes.first { $0.hasPrefix("args") })
        XCTAssertFalse(args.contains("seed") || args.contains("report") || args.contains("sqlite"), args)
    }

    /// Reads aim at the real hidden files; writes only at decoys (a database and a home directory
    /// made for the test, and the proof copy), so a broken sandbox cannot damage anything.
    func testHiddenChecksSolutionsHomeAndTheDatabaseCannotBeReadOrWritten() throws {
        let root = WorkspaceProofTests.repositoryRoot.path
        let decoys = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-decoys-\(marker)")
        defer { try? FileManager.default.removeItem(at: decoys) }
        let home = decoys.appendingPathComponent("home").path, data = decoys.appendingPathComponent("data").path
        let xdgDatabase = home + "/.local/share/interp/progress.sqlite", db = data + "/progress.sqlite"
        let original = Data("SQLite format 3\u{0}a decoy".utf8)
        for path in [xdgDatabase, db] {
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            try original.write(to: URL(fileURLWithPath: path))
        }
        let proof = try WorkspaceProofTests.proof()
        let copyCheck = "\(proof.workspace.directory)/Runner/Checks/LogitDiffCheck/main.swift"
        let reads = ["\(root)/Tests/GradingTests/Solutions/logit-diff.swift", "\(root)/Exercises/Runner/Checks/LogitDiffCheck/main.swift",
                     "\(root)/Package.swift", copyCheck, "\(proof.workspace.directory)/Runner/ExerciseKit/CheckRunner.swift", xdgDatabase, db,
                     FileManager.default.homeDirectoryForCurrentUser.path + "/.local/share/interp/progress.sqlite"]
        let writes = [xdgDatabase, db, copyCheck]
        let run = try run("""
            public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
                let env = ProcessInfo.processInfo.environment
                probe("env INTERP_DB=\\(env["INTERP_DB"] ?? "none") HOME=\\(env["HOME"] ?? "none") keys=\\(env.keys.sorted())")
                let mine = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                for path in \(reads) + [mine.appendingPathComponent("Runner/Checks/LogitDiffCheck/main.swift").path] {
                    if let data = FileManager.default.contents(atPath: path) { probe("READ \\(path) \\(data.count) bytes") }
                }
                for path in \(writes) {
                    if let h = FileHandle(forWritingAtPath: path) { h.seekToEndOfFile(); h.write(Data("passed".utf8)); probe("WROTE \\(path)") }
                }
                for dir in ["\(home)", "\(root)", mine.path, "\(FileManager.default.homeDirectoryForCurrentUser.path)"] {
                    if let names = try? FileManager.default.contentsOfDirectory(atPath: dir), !names.isEmpty { probe("LISTED \\(dir) \\(names.count)") }
                }
                return 0
            }
            """, environment: ["INTERP_DB": db, "HOME": home, "XDG_DATA_HOME": home + "/.local/share"])
        assertHonestFailure(run)
        let env = try XCTUnwrap(run.probes.first { $0.hasPrefix("env") })
        XCTAssertTrue(env.hasPrefix("env INTERP_DB=none HOME=/tmp"), env)
        let keys = env.components(separatedBy: "keys=").last ?? ""
        XCTAssertEqual(keys, #"["HOME", "LANG", "OPENBLAS_NUM_THREADS", "PATH", "PWD", "SWIFT_BACKTRACE", "TMPDIR"]"#, "a scrubbed environment")
        XCTAssertEqual(run.probes.filter { !$0.hasPrefix("env") }, [], "the solution read, wrote or listed what it must not")
        for path in [xdgDatabase, db] { XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), original, "\(path) changed") }
    }

    func testWritesOutsideTheSandboxLeaveNothing() throws {
        let proof = try WorkspaceProofTests.proof()
        let host = FileManager.default.temporaryDirectory.path
        let places = ["\(host)/hostile-\(marker).txt", "/hostile-\(marker).txt", "\(proof.workspace.directory)/hostile-\(marker).txt",
                      "\(FileManager.default.homeDirectoryForCurrentUser.path)/hostile-\(marker).txt"]
        defer { for path in places { try? FileManager.default.removeItem(atPath: path) } }
        let run = try run("""
            public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
                let mine = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("hostile-\(marker).txt").path
                for path in \(places) + [mine, FileManager.default.currentDirectoryPath + "/hostile-\(marker).txt"] {
                    if (try? "pwned".write(toFile: path, atomically: false, encoding: .utf8)) != nil { probe("wrote \\(path)") }
                }
                // A file as large as it can make: the file-size limit and the small /tmp stop it.
                _ = FileManager.default.createFile(atPath: "/tmp/big", contents: nil)
                if let h = FileHandle(forWritingAtPath: "/tmp/big") {
                    let chunk = Data(count: 1 << 20)
                    for _ in 0..<200 { h.write(chunk) }
                }
                return 0
            }
            """)
        assertHonestFailure(run)
        for path in places + ["\(proof.workspace.directory)/Sources/LogitDiff/hostile-\(marker).txt"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: path), path)
        }
        let wrote = run.probes.filter { $0.hasPrefix("wrote") }
        XCTAssertTrue(wrote.allSatisfy { $0.hasPrefix("wrote /tmp/") }, "\(wrote)")   // its private /tmp, gone now
    }

    func testGarbageOnTheAnswerPipeIsAnHonestFailure() throws {
        let run = try run("""
            public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
                // A frame that claims 2 GB, then noise, on the answer pipe; then carry on as if nothing happened.
                var junk: [UInt8] = [0xff, 0xff, 0xff, 0x7f] + (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }
                _ = write(4, &junk, junk.count)
                close(3)
                close(4)
                sleep(20)
                return 0
            }
            """)
        guard case .crashed(let reason, let during, _, _) = run.outcome else { return XCTFail("\(run.outcome)") }
        XCTAssertEqual(during, "random logits")
        XCTAssertTrue(reason.contains("the exchange with your program broke during logitDiff") && reason.contains("at most"), reason)
        XCTAssertLessThan(run.result.seconds, 15, "stopped once the check program gave up, not at the time limit")
    }

    // MARK: - Processes

    func testHundredProcessesAndSleepingChildrenAreAllKilled() throws {
        let run = try run("""
            public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
                var started = 0
                for _ in 0..<100 {
                    var pid: pid_t = 0
                    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("987.\(marker)"), nil]
                    if posix_spawn(&pid, "/bin/sleep", nil, nil, argv, environ) == 0 { started += 1 }
                }
                // Children that leave the process group and ignore hang-ups.
                var shell: pid_t = 0
                let script: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"),
                    strdup("setsid /bin/sleep 988.\(marker) & nohup /bin/sleep 989.\(marker) >/dev/null 2>&1 &"), nil]
                if posix_spawn(&shell, "/bin/sh", nil, nil, script, environ) == 0 { started += 1 }
                probe("started \\(started)")
                return 0
            }
            """)
        assertHonestFailure(run)
        XCTAssertTrue(run.probes.contains { $0.hasPrefix("started") }, "\(run.probes)")
        assertNoProcessLeft(marker)
    }

    func testAHangWithChildrenIsStoppedAtTheTimeLimit() throws {
        let start = Date()
        let run = try run("""
            public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
                for _ in 0..<5 {
                    var pid: pid_t = 0
                    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("986.\(marker)"), nil]
                    _ = posix_spawn(&pid, "/bin/sleep", nil, nil, argv, environ)
                }
                var x: Float = 0
                while x >= 0 { x += 1 }
                return x
            }
            """, timeLimit: 4)
        guard case .timedOut(let seconds, let during, _) = run.outcome else { return XCTFail("\(run.outcome)") }
        XCTAssertEqual(seconds, 4)
        XCTAssertEqual(during, "random logits")
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
        assertNoProcessLeft(marker)
    }

    // MARK: - Output

    func testEscapesAndAHundredMegabytesOfOutputAreDrainedAndCut() throws {
        let run = try run("""
            public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
                let line = "\\u{1B}[2J\\u{1B}]0;pwned\\u{07}\\u{1B}[31m" + String(repeating: "x", count: 1000) + "\\n"
                let block = Data(String(repeating: line, count: 1024).utf8)   // 1 MB
                for _ in 0..<100 { FileHandle.standardOutput.write(block) }
                return 0
            }
            """)
        assertHonestFailure(run)
        XCTAssertGreaterThanOrEqual(run.result.learnerStdoutBytes, 100 << 20)
        XCTAssertLessThanOrEqual(run.result.learnerStdout.utf8.count, 64 << 10, "only the end is kept")
    }

    // MARK: - The sandbox itself

    func testNoCapabilitiesNoNetworkAndOnlyItsOwnDescriptors() throws {
        let run = try run("""
            public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
                let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
                for line in status.split(separator: "\\n") where line.hasPrefix("CapEff") { probe(String(line.filter { !$0.isWhitespace })) }
                probe("fds \\(((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap(Int.init).sorted())")
                let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(53).bigEndian
                address.sin_addr.s_addr = inet_addr("1.1.1.1")
                let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
                probe("network \\(connected == 0 ? "reached" : "unreachable")")
                probe("processes \\(((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int.init).count)")
                return 0
            }
            """)
        assertHonestFailure(run)
        XCTAssertTrue(run.probes.contains("CapEff:0000000000000000"), "\(run.probes)")
        XCTAssertTrue(run.probes.contains("network unreachable"), "\(run.probes)")
        let fds = try XCTUnwrap(run.probes.first { $0.hasPrefix("fds") })
        // 0–4 and the descriptor of the directory listing itself; nothing of interp (no database).
        let numbers = fds.dropFirst(5).dropLast().split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        XCTAssertEqual(Array(numbers.prefix(5)), [0, 1, 2, 3, 4], fds)
        XCTAssertLessThanOrEqual(numbers.count, 6, fds)
        let processes = try XCTUnwrap(run.probes.first { $0.hasPrefix("processes") })
        XCTAssertLessThanOrEqual(Int(processes.dropFirst("processes ".count)) ?? 99, 4, "it sees only its own pid namespace: \(processes)")
    }

    // MARK: - Without bubblewrap

    func testWithoutBubblewrapTheRunIsMarkedAndTheEnvironmentStillScrubbed() throws {
        let run = try run("""
            public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
                probe("env \\(ProcessInfo.processInfo.environment.keys.sorted())")
                probe("cwd \\((try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.currentDirectoryPath))?.count ?? -1)")
                return 0
            }
            """, sandboxOff: true, environment: ["INTERP_DB": "/nowhere/progress.sqlite"])
        assertHonestFailure(run)
        let env = try XCTUnwrap(run.probes.first { $0.hasPrefix("env") })
        XCTAssertFalse(env.contains("INTERP"), env)
        XCTAssertTrue(run.probes.contains("cwd 0"), "an empty working directory: \(run.probes)")
        XCTAssertEqual(Sandbox.detect(environment: ["INTERP_SANDBOX": "none"]).summary, "unsandboxed: INTERP_SANDBOX=none is set")
    }
}
