import Course
import Foundation
import Transformer

/// The SwiftPM workspace of the code exercises (`Exercises/Package.swift`) and how a check runs:
///
/// 1. `swift build -c release --product <Target>Check`: the check program (hidden cases, reference).
/// 2. The learner's file is compiled on its own, in the sandbox, as a module that can import only
///    Tensor and Transformer, and linked with its harness (`LearnerProgram`).
/// 3. Both programs run, joined by pipes; the learner's in the sandbox (`CheckSession`, `Sandbox`).
public struct ExerciseWorkspace: Sendable {
    /// The `Exercises/` directory.
    public var directory: String
    /// The `swift` program: `$INTERP_SWIFT`, else `swift` from `PATH`.
    public var swift: String
    /// Environment for the build of the check programs (learner code never sees it).
    public var environment: [String: String]
    /// Limits for a build (generous: the first build compiles the libraries).
    public var buildTimeLimit: Double = 900
    /// Wall-clock limit of one check run (and of compiling the learner's file).
    public var runTimeLimit: Double = 60
    /// Every solution runs in well under 512 MB; 1 GB leaves room and stops a runaway allocation
    /// in well under a second.
    public var runMemoryLimitMB = 1024
    /// Where learner code runs.
    public var sandbox: Sandbox
    /// Paths learner code must not see besides the course, the interp sources, `$HOME` and the XDG
    /// directories (the caller adds the progress database).
    public var secrets: [String] = []

    /// The interp package to build against when `directory/..` is not it (a course copied out of
    /// the repository): passed to `Exercises/Package.swift` as `$INTERP_PACKAGE_PATH`.
    public var packagePath: String?

    /// The environment variable `Exercises/Package.swift` reads the interp package's path from.
    public static let packagePathKey = "INTERP_PACKAGE_PATH"

    /// - Parameter packagePath: the interp source tree, used when the course does not sit inside it
    ///   (an explicit `$INTERP_PACKAGE_PATH` in `environment` wins).
    public init(directory: String, environment: [String: String] = ProcessInfo.processInfo.environment, packagePath: String? = nil) {
        self.directory = directory
        self.environment = environment
        self.packagePath = packagePath
        self.swift = environment["INTERP_SWIFT"].flatMap { $0.isEmpty ? nil : $0 } ?? "swift"
        self.sandbox = Sandbox.detect(environment: environment)
    }

    /// The workspace of a course.
    public init(course: Course, environment: [String: String] = ProcessInfo.processInfo.environment, packagePath: String? = nil) {
        self.init(directory: course.absolutePath(Exercise.directory), environment: environment, packagePath: packagePath)
    }

    /// The interp source tree the workspace builds against, if there is one.
    var interpPackage: String? {
        if let set = environment[Self.packagePathKey], !set.isEmpty { return set }
        let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
        if FileManager.default.fileExists(atPath: parent + "/Package.swift") { return parent }
        if let packagePath, FileManager.default.fileExists(atPath: packagePath + "/Package.swift") { return packagePath }
        return nil
    }

    /// The environment of a build: `$INTERP_PACKAGE_PATH` set when the directory above the
    /// workspace holds no package; nil when no interp package can be found at all.
    func buildEnvironment() -> [String: String]? {
        guard let package = interpPackage else { return nil }
        var env = environment
        if package != URL(fileURLWithPath: directory).deletingLastPathComponent().path { env[Self.packagePathKey] = package }
        return env
    }

    /// How a build ended.
    public struct BuildResult: Sendable {
        public var succeeded: Bool
        public var seconds: Double
        public var errors: [CompilerMessage]
        /// The tail of the build output (for failures that are not compiler errors).
        public var outputTail: String
        public var timedOut: Bool
    }

    /// Builds the check programs `products` (release mode), one after the other.
    public func build(products: [String]) throws -> BuildResult {
        guard let env = buildEnvironment() else {
            let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
            return BuildResult(succeeded: false, seconds: 0, errors: [],
                               outputTail: "\(directory)/Package.swift builds against the interp package in \(parent), which has none: set \(Self.packagePathKey) to interp's source directory",
                               timedOut: false)
        }
        var total = 0.0
        for product in products {
            let run = try LimitedProcess(executable: swift, arguments: ["build", "-c", "release", "--package-path", directory, "--product", product],
                                         environment: env, timeLimit: buildTimeLimit).run()
            total += run.seconds
            let output = run.stdout + "\n" + run.stderr
            guard run.ending == .exited(0) else {
                if run.ending == .interrupted { throw CancellationError() }
                return BuildResult(succeeded: false, seconds: total, errors: CompilerMessage.errors(in: output),
                                   outputTail: output.split(separator: "\n").suffix(15).joined(separator: "\n"), timedOut: run.ending == .timedOut)
            }
        }
        return BuildResult(succeeded: true, seconds: total, errors: [], outputTail: "", timedOut: false)
    }

    /// Where the release build puts the modules, objects and programs.
    var buildDirectory: String { "\(directory)/.build/release" }

    /// The built check program of an exercise.
    public func checkProgram(_ exercise: Exercise) -> String? {
        exercise.checkProduct.map { "\(buildDirectory)/\($0)" }
    }

    /// The compiler of the learner's file: `swiftc` beside `swift`.
    var swiftc: String {
        let found = swift.contains("/") ? swift : Sandbox.which(swift, environment) ?? swift
        let sibling = URL(fileURLWithPath: found).deletingLastPathComponent().appendingPathComponent("swiftc").path
        return FileManager.default.isExecutableFile(atPath: sibling) ? sibling : Sandbox.which("swiftc", environment) ?? "/usr/bin/swiftc"
    }

    func learnerProgram() -> LearnerProgram? {
        interpPackage.map { LearnerProgram(workspace: directory, buildDirectory: buildDirectory, packagePath: $0, swiftc: swiftc) }
    }

    /// What learner code must not see: the course, the interp sources, the database, home, XDG.
    var hiddenPaths: [String] {
        let course = URL(fileURLWithPath: directory).deletingLastPathComponent().path
        let env = ["HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "INTERP_DB"].compactMap { environment[$0] }
        return [course] + (interpPackage.map { [$0] } ?? []) + env + secrets
    }

    /// The outcome of checking a code exercise.
    public enum CheckOutcome: Sendable {
        /// The learner's file (or the harness) does not compile.
        case compileError(learnerFile: [CompilerMessage], other: [CompilerMessage], tail: String)
        /// The build failed for another reason, or took too long.
        case buildFailed(String)
        /// The check ran and reported its cases; `output` is the end of what the learner's program printed.
        case ran(RunnerReport, output: String)
        /// The learner's program crashed or ended early; `during` names the case it was running;
        /// `output` holds the runtime's message and the line of the learner's file where it stopped.
        case crashed(reason: String, during: String?, report: RunnerReport?, output: String)
        /// The learner's program needed more memory than the limit and was stopped.
        case outOfMemory(limitMB: Int, during: String?, report: RunnerReport?)
        /// The learner's program ran past the time limit and was killed.
        case timedOut(seconds: Double, during: String?, report: RunnerReport?)
        /// Ctrl-C: both programs were stopped.
        case interrupted
        /// The check program itself failed (a fault of the course, not of the learner).
        case checkerFailed(String)
    }

    /// A check: its outcome, how long the builds took, and where the learner's code ran.
    public struct CheckResult: Sendable {
        public var outcome: CheckOutcome
        public var buildSeconds: Double
        public var sandbox: Sandbox
    }

    /// Builds the exercise's check program and the learner's program, and runs them once with
    /// `seed` on `modelPath` (nil: a random-init stand-in of the bundled models' shape).
    public func check(_ exercise: Exercise, seed: UInt64, modelPath: String?) throws -> CheckResult {
        guard let product = exercise.checkProduct else { throw GraderError("\(exercise.id) is not a code exercise") }
        let build = try self.build(products: [product])
        func result(_ outcome: CheckOutcome, _ extra: Double = 0) -> CheckResult {
            CheckResult(outcome: outcome, buildSeconds: build.seconds + extra, sandbox: sandbox)
        }
        if build.timedOut { return result(.buildFailed("the build took longer than \(Int(buildTimeLimit)) s and was stopped")) }
        guard build.succeeded else {
            let summary = build.errors.prefix(3).map(\.description).joined(separator: "\n")
            return result(.buildFailed((summary.isEmpty ? "" : summary + "\n") + build.outputTail))
        }
        let start = Date()
        let learner = try buildLearner(exercise)
        let seconds = Date().timeIntervalSince(start)
        switch learner {
        case .failed(let message): return result(.buildFailed(message), seconds)
        case .compileError(let mine, let other, let tail): return result(.compileError(learnerFile: mine, other: other, tail: tail), seconds)
        case .built(let program):
            return result(try run(exercise, learnerProgram: program, seed: seed, modelPath: modelPath), seconds)
        }
    }

    /// Compiles the learner's file of `exercise` (its check program must be built).
    public func buildLearner(_ exercise: Exercise) throws -> LearnerBuild {
        guard let builder = learnerProgram() else { return .failed("no interp package to build against: set \(Self.packagePathKey)") }
        let signature = try builder.prepareSDK()
        return try builder.build(exercise, sdkSignature: signature, sandbox: sandbox, hidden: hiddenPaths, timeLimit: max(runTimeLimit, 120))
    }

    /// Runs the built check program against `learnerProgram` (nil: only the trivial `answerers`).
    public func run(_ exercise: Exercise, learnerProgram: String?, seed: UInt64, seeds: Int = 1, answerers: [String]? = nil,
                    modelPath: String?) throws -> CheckOutcome {
        try withSession(exercise, learnerProgram: learnerProgram, seed: seed, seeds: seeds, answerers: answerers, modelPath: modelPath) { session in
            Self.outcome(of: try session.run(), exercise: exercise, session: session)
        }
    }

    /// The session of one run, with a scratch directory that is removed afterwards.
    func withSession<T>(_ exercise: Exercise, learnerProgram: String?, seed: UInt64, seeds: Int = 1, answerers: [String]? = nil,
                        modelPath: String?, _ body: (CheckSession) throws -> T) throws -> T {
        guard let program = checkProgram(exercise), let builder = self.learnerProgram() else { throw GraderError("\(exercise.id) is not a code exercise") }
        let fm = FileManager.default
        let model = try modelPath ?? StandInModel.file(in: builder.root)
        let scratch = builder.root + "/run-\(UUID().uuidString)"
        try fm.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: scratch) }
        let session = CheckSession(checkProgram: program, learnerProgram: learnerProgram, modelPath: model, seed: seed, seeds: seeds,
                                   answerers: answerers, timeLimit: runTimeLimit, memoryLimitMB: runMemoryLimitMB, sandbox: sandbox,
                                   runtimePaths: builder.runtimePaths, hidden: hiddenPaths, scratch: scratch)
        return try body(session)
    }

    /// What a session means for the learner.
    static func outcome(of r: CheckSession.Result, exercise: Exercise, session: CheckSession) -> CheckOutcome {
        let report = r.report, during = r.report?.running
        let crash = CrashOutput.parse(r.learnerStdout + "\n" + r.learnerStderr, learnerFile: exercise.file)
        var output = [crash.fatalError.map { "Fatal error: \($0)" }, crash.location.map { "at \($0)" }].compactMap { $0 }.joined(separator: "\n")
        if output.isEmpty { output = (r.learnerStdout + "\n" + r.learnerStderr).split(separator: "\n").suffix(6).joined(separator: "\n") }
        switch r.learner {
        case .interrupted?: return .interrupted
        case .timedOut?: return .timedOut(seconds: session.timeLimit, during: during, report: report)
        default: break
        }
        if case .exited(let code) = r.checker, code == 0 || code == 1, let report, report.running == nil {
            return .ran(report, output: r.learnerStdout.split(separator: "\n", omittingEmptySubsequences: false).suffix(12).joined(separator: "\n"))
        }
        guard r.checker == .exited(3) || (r.learner != nil && r.learner != .exited(0)) else {
            let tail = r.checkerStderr.split(separator: "\n").suffix(6).joined(separator: "\n")
            return .checkerFailed("the check program of \(exercise.id) \(describe(r.checker))" + (tail.isEmpty ? "" : ": \(tail)"))
        }
        if crash.outOfMemory { return .outOfMemory(limitMB: session.memoryLimitMB, during: during, report: report) }
        if r.lingered {
            // It closed the pipe or sent what does not decode, and carried on: the check program says what broke.
            let said = r.checkerStderr.split(separator: "\n").last { $0.hasPrefix("check: ") }.map { String($0.dropFirst("check: ".count)) }
            return .crashed(reason: said ?? "your program stopped answering", during: during, report: report, output: output)
        }
        switch r.learner {
        case .signalled(let s)?:
            if s == SIGXCPU { return .timedOut(seconds: Double(session.learnerLimits.cpuSeconds), during: during, report: report) }
            return .crashed(reason: "killed by \(LimitedProcess.Ending.signalName(s))", during: during, report: report, output: output)
        case .exited(0)?:
            return .crashed(reason: "your program ended (status 0) before it answered every case", during: during, report: report, output: output)
        case .exited(let code)?:
            return .crashed(reason: "your program exited with status \(code)", during: during, report: report, output: output)
        default:
            return .crashed(reason: "your program stopped answering", during: during, report: report, output: output)
        }
    }

    private static func describe(_ ending: LimitedProcess.Ending) -> String {
        switch ending {
        case .exited(let code): return "exited with status \(code)"
        case .signalled(let s): return "was killed by \(LimitedProcess.Ending.signalName(s))"
        case .timedOut: return "ran too long"
        case .interrupted: return "was interrupted"
        }
    }
}

/// The model a check runs on when the bundled model is not installed: a random-init, attention-only,
/// norm-free, shortformer model of the bundled models' widths (3 layers), written once to a file both
/// programs read.
enum StandInModel {
    static func file(in directory: String) throws -> String {
        let path = directory + "/random-init stand-in.safetensors"
        if FileManager.default.fileExists(atPath: path) { return path }
        let vocab = Vocabulary.shared
        let config = try ModelConfig(nLayers: 3, dModel: 64, nHeads: 4, dHead: 16, nCtx: 32, dVocab: vocab.count,
                                     attnOnly: true, normalizationType: nil, positionalEmbeddingType: .shortformer, modelName: "stand-in-3l")
        let model = try HookedTransformer.random(config: config, seed: 7, vocab: vocab)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temp = path + ".\(UUID().uuidString)"
        try model.save(to: URL(fileURLWithPath: temp))
        try? FileManager.default.moveItem(atPath: temp, toPath: path)
        try? FileManager.default.removeItem(atPath: temp)
        return path
    }
}
