import Foundation

/// What an exercise's check program reports: the cases it ran, each with a readable message, and
/// the case it was running when the learner's program stopped (so a crash can be pinned on a case).
///
/// The check program writes JSON lines on its stdout (`Runner/ExerciseKit/CheckRunner.swift`):
/// `{"event":"start","exercise","seed","model"}`, `{"event":"running","name"}`,
/// `{"event":"case","name","passed","message","seed","answerer"}` and, when it got through every
/// case, `{"event":"end"}`.
public struct RunnerReport: Codable, Sendable, Equatable {
    public struct Case: Codable, Sendable, Equatable {
        public var name: String
        public var passed: Bool
        /// What was compared, and for a failure: shapes, the first differing element with its
        /// index, expected vs got.
        public var message: String
        /// The seed the case ran with (several with `--seeds`).
        public var seed: UInt64?
        /// Who answered: "learner", or a trivial answerer ("zero", "input", "constant:1") in a proof.
        public var answerer: String?

        public init(name: String, passed: Bool, message: String, seed: UInt64? = nil, answerer: String? = nil) {
            self.name = name
            self.passed = passed
            self.message = message
            self.seed = seed
            self.answerer = answerer
        }
    }

    public var exercise: String
    public var seed: UInt64
    /// The model the cases ran on (a name, a file, or "random-init …").
    public var model: String
    public var cases: [Case]
    /// The case being run when the report ended; nil once every case finished.
    public var running: String?

    public init(exercise: String, seed: UInt64, model: String, cases: [Case], running: String? = nil) {
        self.exercise = exercise
        self.seed = seed
        self.model = model
        self.cases = cases
        self.running = running
    }

    /// Reads the check program's JSON lines; nil when they hold no start event. Lines that do not
    /// decode are skipped.
    public init?(events text: String) {
        struct Event: Decodable {
            var event: String
            var exercise: String?, seed: UInt64?, model: String?
            var name: String?, passed: Bool?, message: String?, answerer: String?
        }
        var report: RunnerReport?
        var running: String?
        var ended = false
        let decoder = JSONDecoder()
        for line in text.split(separator: "\n") {
            guard let e = try? decoder.decode(Event.self, from: Data(line.utf8)) else { continue }
            switch e.event {
            case "start": report = RunnerReport(exercise: e.exercise ?? "", seed: e.seed ?? 0, model: e.model ?? "", cases: [])
            case "running": running = e.name
            case "case":
                report?.cases.append(Case(name: e.name ?? "", passed: e.passed ?? false, message: e.message ?? "", seed: e.seed, answerer: e.answerer))
                running = nil
            case "end": ended = true
            default: continue
            }
        }
        guard var report else { return nil }
        report.running = ended ? nil : (running ?? report.cases.last?.name ?? "the start")
        self = report
    }

    /// True when every case ran and passed.
    public var passed: Bool { running == nil && !cases.isEmpty && cases.allSatisfy(\.passed) }

    /// "3/5 cases passed".
    public var summary: String { "\(cases.filter(\.passed).count)/\(cases.count) cases passed" }
}
