import Foundation
import GRDB

/// How far the learner got in one lesson.
public struct LessonProgress: Hashable, Sendable {
    public var lessonID: String
    public var firstOpenedAt: Date
    public var completedAt: Date?
    /// The last section (H2) read, counted from 0.
    public var lastSection: Int?
    public var updatedAt: Date

    public init(lessonID: String, firstOpenedAt: Date, completedAt: Date? = nil,
                lastSection: Int? = nil, updatedAt: Date) {
        self.lessonID = lessonID
        self.firstOpenedAt = firstOpenedAt
        self.completedAt = completedAt
        self.lastSection = lastSection
        self.updatedAt = updatedAt
    }

    /// Whether the lesson was marked completed.
    public var isCompleted: Bool { completedAt != nil }
}

// MARK: - Database

extension LessonProgress: Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "lesson_progress"

    enum CodingKeys: String, CodingKey {
        case lessonID = "lesson_id"
        case firstOpenedAt = "first_opened_at"
        case completedAt = "completed_at"
        case lastSection = "last_section"
        case updatedAt = "updated_at"
    }

    public enum Columns {
        public static let lessonID = Column(CodingKeys.lessonID)
    }
}

extension AppDatabase {
    /// Records that `lessonID` was opened: sets its first-opened time once, updates it always.
    public func markOpened(_ lessonID: String, at now: Date = Date()) throws {
        try updateProgress(lessonID, at: now) { _ in }
    }

    /// Records the last section read in `lessonID` (opening it if needed).
    public func setLastSection(_ section: Int, of lessonID: String, at now: Date = Date()) throws {
        guard section >= 0 else {
            throw ProgressStoreError.invalidValue(field: "section", reason: "must be 0 or more, got \(section)")
        }
        try updateProgress(lessonID, at: now) { $0.lastSection = section }
    }

    /// Marks `lessonID` completed (opening it if needed); the first completion time is kept.
    public func markCompleted(_ lessonID: String, at now: Date = Date()) throws {
        try updateProgress(lessonID, at: now) { progress in
            if progress.completedAt == nil { progress.completedAt = now }
        }
    }

    /// Every lesson with progress, by lesson id.
    public func lessonProgress() throws -> [LessonProgress] {
        try read { db in try LessonProgress.order(LessonProgress.Columns.lessonID).fetchAll(db) }
    }

    /// The progress of one lesson, or nil if it was never opened.
    public func lessonProgress(_ lessonID: String) throws -> LessonProgress? {
        try read { db in try LessonProgress.fetchOne(db, key: lessonID) }
    }

    /// Forgets the progress of `lessonID`, or of every lesson when nil; returns the rows removed.
    /// Quiz answers, sketches and review cards are kept.
    @discardableResult
    public func resetLessonProgress(_ lessonID: String? = nil) throws -> Int {
        try write { db in
            if let lessonID {
                return try LessonProgress.deleteOne(db, key: lessonID) ? 1 : 0
            }
            return try LessonProgress.deleteAll(db)
        }
    }

    /// Loads (or starts) the lesson's row, applies `change`, stamps it, saves it: one transaction.
    private func updateProgress(_ lessonID: String, at now: Date,
                                _ change: (inout LessonProgress) -> Void) throws {
        guard !lessonID.isEmpty else {
            throw ProgressStoreError.invalidValue(field: "lesson id", reason: "must not be empty")
        }
        try Self.validateDates([("time", now)])
        try write { db in
            var progress = try LessonProgress.fetchOne(db, key: lessonID)
                ?? LessonProgress(lessonID: lessonID, firstOpenedAt: now, updatedAt: now)
            change(&progress)
            progress.updatedAt = now
            try progress.save(db)
        }
    }
}
