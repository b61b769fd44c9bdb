import Foundation

/// What an exercise's check program writes (JSON, to the file given by `--report`): the cases it
/// ran, each with a readable message, and the case it was running when it last wrote the file
/// (so a crash can be pinned on a case).
public struct RunnerReport: Codable, Sendable, Equatable {
    public struct Case: Codable, Sendable, Equatable {
        public var name: String
        public var passed: Bool
        /// What was compared, and for a failure: shapes, the first differing element with its
        /// index, expected vs got.
        public var message: String

        public init(name: String, passed: Bool, message: String) {
            self.name = name
            self.passed = passed
            self.message = message
        }
    }

    public var exercise: String
    public var seed: UInt64
    /// The model the cases ran on (a name, a file, or "random-init …").
    public var model: String
    public var cases: [Case]
    /// The case being run when the report was written; nil once every case finished.
    public var running: String?

    public init(exercise: String, seed: UInt64, model: String, cases: [Case], running: String? = nil) {
        self.exercise = exercise
        self.seed = seed
        self.model = model
        self.cases = cases
        self.running = running
    }

    /// True when every case ran and passed.
    public var passed: Bool { running == nil && !cases.isEmpty && cases.allSatisfy(\.passed) }

    /// "3/5 cases passed".
    public var summary: String { "\(cases.filter(\.passed).count)/\(cases.count) cases passed" }
}
