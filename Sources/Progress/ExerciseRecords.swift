import Foundation
import GRDB

/// One graded attempt at an exercise: an investigation's answer or a code exercise's check.
public struct ExerciseAttempt: Hashable, Sendable {
    /// Row id once stored; nil before.
    public var id: Int64?
    public var exerciseID: String
    /// "investigate" or "code".
    public var kind: String
    /// The answer given, or a one-line summary of the check ("3/5 cases passed", "compile error").
    public var response: String
    public var passed: Bool
    /// Points earned by this attempt (0 when it failed).
    public var score: Int
    public var attemptedAt: Date
    public var durationMs: Int
    /// Code exercises: where the learner's code ran, "bubblewrap" or "none" (unsandboxed: the
    /// machine could not run the sandbox). Nil for investigations and attempts made before v4.
    public var sandbox: String?

    public init(id: Int64? = nil, exerciseID: String, kind: String, response: String, passed: Bool, score: Int,
                attemptedAt: Date, durationMs: Int, sandbox: String? = nil) {
        self.id = id
        self.exerciseID = exerciseID
        self.kind = kind
        self.response = response
        self.passed = passed
        self.score = score
        self.attemptedAt = attemptedAt
        self.durationMs = durationMs
        self.sandbox = sandbox
    }
}

/// Where a learner stands with one exercise, summed from its attempts, hints and activity.
public struct ExerciseStatus: Hashable, Sendable {
    public var exerciseID: String
    public var attempts: Int
    public var passed: Bool
    /// The best score of any attempt.
    public var bestScore: Int
    public var hintsUsed: Int
    public var firstOpenedAt: Date?
    public var lastActivityAt: Date?
    /// Passed, but only by attempts whose code ran without a sandbox.
    public var passedUnsandboxed = false
}

// MARK: - Database

extension ExerciseAttempt: Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "exercise_attempt"

    enum CodingKeys: String, CodingKey {
        case id
        case exerciseID = "exercise_id"
        case kind, response, passed, score
        case attemptedAt = "attempted_at"
        case durationMs = "duration_ms"
        case sandbox
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension AppDatabase {
    /// Stores an attempt (and marks the exercise active at its time) in one transaction; returns it with its id.
    @discardableResult
    public func recordExerciseAttempt(_ attempt: ExerciseAttempt) throws -> ExerciseAttempt {
        try validateExercise(id: attempt.exerciseID)
        if attempt.durationMs < 0 {
            throw ProgressStoreError.invalidValue(field: "duration", reason: "must be 0 ms or more, got \(attempt.durationMs)")
        }
        if attempt.score < 0 {
            throw ProgressStoreError.invalidValue(field: "score", reason: "must be 0 or more, got \(attempt.score)")
        }
        try Self.validateDates([("attempt time", attempt.attemptedAt)])
        return try write { db in
            var stored = attempt
            try stored.insert(db)
            try Self.touch(db, exerciseID: attempt.exerciseID, at: attempt.attemptedAt)
            return stored
        }
    }

    /// Every attempt at one exercise, oldest first.
    public func exerciseAttempts(exerciseID: String) throws -> [ExerciseAttempt] {
        try read { db in
            try ExerciseAttempt.filter(Column("exercise_id") == exerciseID).order(Column("attempted_at"), Column("id")).fetchAll(db)
        }
    }

    /// Records that hint number `index` (0-based) of an exercise was shown; showing it again changes
    /// nothing. Returns how many hints of the exercise have been shown.
    @discardableResult
    public func recordHint(exerciseID: String, index: Int, at date: Date) throws -> Int {
        try validateExercise(id: exerciseID)
        guard index >= 0 else { throw ProgressStoreError.invalidValue(field: "hint", reason: "must be 0 or more, got \(index)") }
        try Self.validateDates([("hint time", date)])
        return try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO exercise_hint (exercise_id, hint_index, revealed_at) VALUES (?, ?, ?)",
                           arguments: [exerciseID, index, date])
            try Self.touch(db, exerciseID: exerciseID, at: date)
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exercise_hint WHERE exercise_id = ?", arguments: [exerciseID]) ?? 0
        }
    }

    /// How many hints of an exercise have been shown.
    public func hintsUsed(exerciseID: String) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exercise_hint WHERE exercise_id = ?", arguments: [exerciseID]) ?? 0
        }
    }

    /// Marks an exercise as worked on at `date` (opened, checked, answered): sets the first-opened
    /// time once and the last-activity time every time.
    public func touchExercise(_ exerciseID: String, at date: Date) throws {
        try validateExercise(id: exerciseID)
        try Self.validateDates([("activity time", date)])
        try write { db in try Self.touch(db, exerciseID: exerciseID, at: date) }
    }

    /// The status of every exercise with any recorded activity, by exercise id.
    public func exerciseStatuses() throws -> [String: ExerciseStatus] {
        try read { db in
            var result: [String: ExerciseStatus] = [:]
            let activity = try Row.fetchAll(db, sql: "SELECT exercise_id, first_opened_at, last_activity_at FROM exercise_activity")
            for row in activity {
                let id: String = try row.decode(forColumn: "exercise_id")
                result[id] = ExerciseStatus(exerciseID: id, attempts: 0, passed: false, bestScore: 0, hintsUsed: 0,
                                            firstOpenedAt: try row.decode(forColumn: "first_opened_at"),
                                            lastActivityAt: try row.decode(forColumn: "last_activity_at"))
            }
            let attempts = try Row.fetchAll(db, sql: """
                SELECT exercise_id, COUNT(*) AS n, MAX(passed) AS passed, MAX(score) AS best,
                       MAX(passed AND (sandbox IS NULL OR sandbox <> 'none')) AS passed_sandboxed
                FROM exercise_attempt GROUP BY exercise_id
                """)
            for row in attempts {
                let id: String = try row.decode(forColumn: "exercise_id")
                var status = result[id] ?? ExerciseStatus(exerciseID: id, attempts: 0, passed: false, bestScore: 0, hintsUsed: 0)
                status.attempts = try row.decode(forColumn: "n")
                status.passed = (try row.decode(Int?.self, forColumn: "passed")) == 1
                status.bestScore = try row.decode(Int?.self, forColumn: "best") ?? 0
                let sandboxed = try row.decode(Int?.self, forColumn: "passed_sandboxed")
                status.passedUnsandboxed = status.passed && sandboxed != 1
                result[id] = status
            }
            for row in try Row.fetchAll(db, sql: "SELECT exercise_id, COUNT(*) AS n FROM exercise_hint GROUP BY exercise_id") {
                let id: String = try row.decode(forColumn: "exercise_id")
                var status = result[id] ?? ExerciseStatus(exerciseID: id, attempts: 0, passed: false, bestScore: 0, hintsUsed: 0)
                status.hintsUsed = try row.decode(forColumn: "n")
                result[id] = status
            }
            return result
        }
    }

    private static func touch(_ db: Database, exerciseID: String, at date: Date) throws {
        try db.execute(sql: """
            INSERT INTO exercise_activity (exercise_id, first_opened_at, last_activity_at) VALUES (?, ?, ?)
            ON CONFLICT(exercise_id) DO UPDATE SET last_activity_at = MAX(last_activity_at, excluded.last_activity_at)
            """, arguments: [exerciseID, date, date])
    }

    private func validateExercise(id: String) throws {
        if id.isEmpty { throw ProgressStoreError.invalidValue(field: "exercise id", reason: "must not be empty") }
    }

    /// The `v4-exercise-sandbox` migration: where a code exercise's attempt ran.
    static func addExerciseSandboxColumn(_ db: Database) throws {
        try db.alter(table: "exercise_attempt") { t in t.add(column: "sandbox", .text) }
    }

    /// The `v3-exercises` migration: attempts, hints shown, and first/last activity per exercise.
    static func createExerciseTables(_ db: Database) throws {
        try db.create(table: "exercise_attempt") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("exercise_id", .text).notNull().indexed()
            t.column("kind", .text).notNull()
            t.column("response", .text).notNull()
            t.column("passed", .boolean).notNull()
            t.column("score", .integer).notNull().check { $0 >= 0 }
            t.column("attempted_at", .datetime).notNull()
            t.column("duration_ms", .integer).notNull().check { $0 >= 0 }
        }
        try db.create(table: "exercise_hint") { t in
            t.column("exercise_id", .text).notNull()
            t.column("hint_index", .integer).notNull().check { $0 >= 0 }
            t.column("revealed_at", .datetime).notNull()
            t.primaryKey(["exercise_id", "hint_index"])
        }
        try db.create(table: "exercise_activity") { t in
            t.primaryKey("exercise_id", .text)
            t.column("first_opened_at", .datetime).notNull()
            t.column("last_activity_at", .datetime).notNull()
        }
    }
}
