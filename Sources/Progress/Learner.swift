import Foundation
import GRDB

/// The learner's profile: one row per database.
public struct Learner: Hashable, Sendable {
    public var name: String?
    public var createdAt: Date
    /// Probability of recall at which reviews fall due, strictly between 0 and 1.
    public var desiredRetention: Double

    public init(name: String? = nil, createdAt: Date, desiredRetention: Double = 0.9) {
        self.name = name
        self.createdAt = createdAt
        self.desiredRetention = desiredRetention
    }
}

// MARK: - Database

extension Learner: Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "learner"

    enum CodingKeys: String, CodingKey {
        case name
        case createdAt = "created_at"
        case desiredRetention = "desired_retention"
    }

    /// The profile row always has id 1.
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = 1
        container["name"] = name
        container["created_at"] = createdAt
        container["desired_retention"] = desiredRetention
    }
}

extension AppDatabase {
    /// The stored profile, or nil before one was saved.
    public func learner() throws -> Learner? {
        try read { db in try Learner.fetchOne(db) }
    }

    /// The stored profile, or a default one created at `now` (not stored).
    public func learnerOrDefault(now: Date = Date()) throws -> Learner {
        try learner() ?? Learner(createdAt: now)
    }

    /// Stores the profile, replacing the previous one.
    public func saveLearner(_ learner: Learner) throws {
        guard learner.desiredRetention > 0, learner.desiredRetention < 1 else {
            throw ProgressStoreError.invalidValue(
                field: "desired retention",
                reason: "must be strictly between 0 and 1, got \(learner.desiredRetention)")
        }
        try Self.validateDates([("profile creation time", learner.createdAt)])
        try write { db in try learner.upsert(db) }
    }
}
