import Course
import Foundation

/// The SwiftPM workspace of the code exercises (`Exercises/Package.swift`): builds an exercise's
/// check program and runs it with limits. One target per exercise holds the learner's file; the
/// product `<Target>Check` runs that exercise's hidden randomized cases against the reference.
public struct ExerciseWorkspace: Sendable {
    /// The `Exercises/` directory.
    public var directory: String
    /// The `swift` program: `$INTERP_SWIFT`, else `swift` from `PATH`.
    public var swift: String
    /// Environment for the build and the check programs.
    public var environment: [String: String]
    /// Limits for a build (generous: the first build compiles the libraries).
    public var buildTimeLimit: Double = 900
    /// Limits for one check run.
    public var runTimeLimit: Double = 60
    /// Every solution runs in 768 MB (measured); 1 GB leaves room and stops a runaway allocation
    /// in well under a second.
    public var runMemoryLimitMB = 1024

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
    }

    /// The workspace of a course.
    public init(course: Course, environment: [String: String] = ProcessInfo.processInfo.environment, packagePath: String? = nil) {
        self.init(directory: course.absolutePath(Exercise.directory), environment: environment, packagePath: packagePath)
    }

    /// The environment of a build: `$INTERP_PACKAGE_PATH` set to `packagePath` when the directory
    /// above the workspace holds no package; nil when no interp package can be found at all.
    func buildEnvironment() -> [String: String]? {
        let fm = FileManager.default
        if let set = environment[Self.packagePathKey], !set.isEmpty { return environment }
        let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
        if fm.fileExists(atPath: parent + "/Package.swift") { return environment }
        guard let packagePath, fm.fileExists(atPath: packagePath + "/Package.swift") else { return nil }
        var env = environment
        env[Self.packagePathKey] = packagePath
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

    /// Builds `products` (every product when empty).
    public func build(products: [String] = []) throws -> BuildResult {
        guard let env = buildEnvironment() else {
            let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
            return BuildResult(succeeded: false, seconds: 0, errors: [],
                               outputTail: "\(directory)/Package.swift builds against the interp package in \(parent), which has none: set \(Self.packagePathKey) to interp's source directory",
                               timedOut: false)
        }
        var args = ["build", "--package-path", directory]
        for p in products { args += ["--product", p] }
        let (exe, argv) = resolved(swift, args)
        let run = try LimitedProcess(executable: exe, arguments: argv, environment: env, timeLimit: buildTimeLimit).run()
        let output = run.stdout + "\n" + run.stderr
        let ok = run.ending == .exited(0)
        let tail = output.split(separator: "\n").suffix(15).joined(separator: "\n")
        return BuildResult(succeeded: ok, seconds: run.seconds, errors: ok ? [] : CompilerMessage.errors(in: output),
                           outputTail: tail, timedOut: run.ending == .timedOut)
    }

    /// The built check program of an exercise.
    public func checkProgram(_ exercise: Exercise) -> String? {
        exercise.checkProduct.map { "\(directory)/.build/debug/\($0)" }
    }

    /// The outcome of checking a code exercise.
    public enum CheckOutcome: Sendable {
        /// The learner's file (or another file) does not compile.
        case compileError(learnerFile: [CompilerMessage], other: [CompilerMessage], tail: String)
        /// The build failed for another reason, or took too long.
        case buildFailed(String)
        /// The check program ran and reported its cases.
        case ran(RunnerReport, output: String)
        /// The check program crashed; `during` names the case it was running, if known; `output`
        /// holds the runtime's message and the line of the learner's file where it stopped.
        case crashed(reason: String, during: String?, report: RunnerReport?, output: String)
        /// The check program needed more memory than the limit and was stopped.
        case outOfMemory(limitMB: Int, during: String?, report: RunnerReport?)
        /// The check program ran past the time limit and was killed.
        case timedOut(seconds: Double, during: String?, report: RunnerReport?)
    }

    /// Builds the exercise's check program and runs it once with `seed` on `modelPath`.
    public func check(_ exercise: Exercise, seed: UInt64, modelPath: String?) throws -> (outcome: CheckOutcome, buildSeconds: Double) {
        guard let product = exercise.checkProduct, let program = checkProgram(exercise) else {
            throw GraderError("\(exercise.id) is not a code exercise")
        }
        let build = try self.build(products: [product])
        if build.timedOut { return (.buildFailed("the build took longer than \(Int(buildTimeLimit)) s and was stopped"), build.seconds) }
        if !build.succeeded {
            let mine = exercise.file.map { "/" + $0 } ?? "\u{0}"
            let learner = build.errors.filter { $0.file.hasSuffix(mine) }
            let other = build.errors.filter { !$0.file.hasSuffix(mine) }
            if learner.isEmpty && other.isEmpty { return (.buildFailed(build.outputTail), build.seconds) }
            return (.compileError(learnerFile: learner, other: other, tail: build.outputTail), build.seconds)
        }
        return (try run(program: program, exercise: exercise, seed: seed, modelPath: modelPath), build.seconds)
    }

    /// Runs a built check program with the limits and reads its report.
    public func run(program: String, exercise: Exercise, seed: UInt64, modelPath: String?) throws -> CheckOutcome {
        let reportPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("interp-check-\(exercise.id)-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: reportPath) }
        var args = ["--seed", "\(seed)", "--report", reportPath]
        if let modelPath { args += ["--model", modelPath] }
        let process = LimitedProcess(executable: program, arguments: args, environment: environment,
                                     timeLimit: runTimeLimit, memoryLimitMB: runMemoryLimitMB)
        let result = try process.run()
        let report = FileManager.default.contents(atPath: reportPath).flatMap { try? JSONDecoder().decode(RunnerReport.self, from: $0) }
        let crash = CrashOutput.parse(result.stdout + "\n" + result.stderr, learnerFile: exercise.file)
        var output = [crash.fatalError.map { "Fatal error: \($0)" }, crash.location.map { "at \($0)" }].compactMap { $0 }
            .joined(separator: "\n")
        if output.isEmpty { output = (result.stdout + result.stderr).split(separator: "\n").suffix(6).joined(separator: "\n") }
        switch result.ending {
        case .timedOut:
            return .timedOut(seconds: runTimeLimit, during: report?.running, report: report)
        case .signalled(let s):
            if crash.outOfMemory { return .outOfMemory(limitMB: runMemoryLimitMB, during: report?.running, report: report) }
            return .crashed(reason: "killed by \(LimitedProcess.Ending.signalName(s))", during: report?.running, report: report, output: output)
        case .exited(let status):
            if crash.outOfMemory { return .outOfMemory(limitMB: runMemoryLimitMB, during: report?.running, report: report) }
            guard let report, report.running == nil else {
                let why = status == 0 ? "ended without a complete report" : "exited with status \(status)"
                return .crashed(reason: why, during: report?.running, report: report, output: output)
            }
            return .ran(report, output: result.stdout.split(separator: "\n").suffix(12).joined(separator: "\n"))
        }
    }

    /// `swift` from PATH runs through `/usr/bin/env`; a path runs as is.
    private func resolved(_ program: String, _ args: [String]) -> (String, [String]) {
        program.contains("/") ? (program, args) : ("/usr/bin/env", [program] + args)
    }
}
