import GRDB

/// The schema, as named, append-only migrations. Never edit a migration that has shipped: add a
/// new one. Times are stored as GRDB's UTC text ("YYYY-MM-DD HH:MM:SS.SSS").
extension AppDatabase {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1") { db in
            try db.create(table: "learner") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }  // a single profile row
                t.column("name", .text)
                t.column("created_at", .datetime).notNull()
                t.column("desired_retention", .double).notNull().defaults(to: 0.9)
                    .check { $0 > 0 && $0 < 1 }
            }
            try db.create(table: "lesson_progress") { t in
                t.primaryKey("lesson_id", .text)
                t.column("first_opened_at", .datetime).notNull()
                t.column("completed_at", .datetime)
                t.column("last_section", .integer).check { $0 >= 0 }
                t.column("updated_at", .datetime).notNull()
            }
        }

        migrator.registerMigration("v2-quiz") { db in
            try db.create(table: "quiz_attempt") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("question_id", .text).notNull().indexed()
                t.column("lesson_id", .text).notNull().indexed()
                t.column("kind", .text).notNull()
                t.column("response", .text).notNull()
                t.column("correct", .boolean)  // null for answers that are not graded
                t.column("rating", .integer).notNull().check { $0 >= 1 && $0 <= 4 }
                t.column("duration_ms", .integer).notNull().check { $0 >= 0 }
                t.column("answered_at", .datetime).notNull().indexed()
                t.column("session_id", .text)
            }
            try db.create(table: "sketch") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("question_id", .text).notNull().indexed()
                t.column("lesson_id", .text).notNull().indexed()
                t.column("text", .text).notNull()
                t.column("self_rating", .integer).check { $0 >= 1 && $0 <= 4 }
                t.column("created_at", .datetime).notNull().indexed()
                t.column("duration_ms", .integer).notNull().check { $0 >= 0 }
            }
            try db.create(table: "srs_card") { t in
                t.primaryKey("card_id", .text)
                t.column("state", .text).notNull()
                    .check { [CardState.learning.rawValue, CardState.review.rawValue,
                              CardState.relearning.rawValue].contains($0) }
                t.column("step", .integer).check { $0 >= 0 }
                t.column("stability", .double).check { $0 > 0 }
                t.column("difficulty", .double).check { $0 >= 1 && $0 <= 10 }
                t.column("due", .datetime).notNull().indexed()
                t.column("last_review", .datetime)
                t.column("reps", .integer).notNull().defaults(to: 0).check { $0 >= 0 }
                t.column("lapses", .integer).notNull().defaults(to: 0).check { $0 >= 0 }
            }
            try db.create(table: "srs_review") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("card_id", .text).notNull().indexed()
                    .references("srs_card", onDelete: .cascade)
                t.column("rating", .integer).notNull().check { $0 >= 1 && $0 <= 4 }
                t.column("reviewed_at", .datetime).notNull().indexed()
                t.column("state", .text).notNull()  // state, step, stability, difficulty after
                t.column("step", .integer)
                t.column("stability", .double).notNull()
                t.column("difficulty", .double).notNull()
                t.column("due", .datetime).notNull()
                t.column("elapsed_days", .integer)
                t.column("scheduled_days", .integer).notNull()
            }
        }

        migrator.registerMigration("v3-exercises") { db in try createExerciseTables(db) }
        migrator.registerMigration("v4-exercise-sandbox") { db in try addExerciseSandboxColumn(db) }

        return migrator
    }

    /// The migrations this version knows, in order.
    public static var knownMigrations: [String] { migrator.migrations }
}
