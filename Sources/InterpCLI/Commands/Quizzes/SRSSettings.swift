import Foundation
import Progress

/// How quizzes schedule reviews: the FSRS scheduler built from the learner's profile and the
/// environment (the review itself happens in `AppDatabase.recordAnswer`).
enum SRSSettings {
    /// Environment variable that turns interval fuzz off (`0`, `false`, `off`, `no`) or on.
    static let fuzzVariable = "INTERP_FSRS_FUZZ"

    /// Whether review intervals get FSRS's random spread: on unless `INTERP_FSRS_FUZZ` says off.
    /// - Throws: `CLIError.usage` naming the variable when its value is not a yes or a no.
    static func fuzzEnabled(environment: [String: String]) throws -> Bool {
        guard let raw = environment[fuzzVariable] else { return true }
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "1", "true", "on", "yes": return true
        case "0", "false", "off", "no": return false
        default: throw CLIError.usage("\(fuzzVariable): '\(raw)' is not 0 or 1")
        }
    }

    /// The scheduler quizzes use: default FSRS-6 weights, the profile's desired retention (0.9 when
    /// there is no profile), fuzz as `INTERP_FSRS_FUZZ` says.
    static func quizScheduler(in session: Session, at now: Date) throws -> FSRSScheduler {
        let retention = try session.database().learnerOrDefault(now: now).desiredRetention
        let fuzz = try fuzzEnabled(environment: session.environment)
        do {
            return try FSRSScheduler(desiredRetention: retention, enableFuzz: fuzz)
        } catch {
            throw CLIError.data("learner profile in \(try session.database().path): \(error)")
        }
    }
}
