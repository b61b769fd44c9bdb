import ArgumentParser
import Foundation
import Progress
import TerminalUI

/// `srs`: the spaced-repetition tools (a group; `srs replay` does the work).
struct SRSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "srs",
        abstract: "Spaced-repetition tools: replay a review log through the FSRS-6 scheduler.",
        subcommands: [SRSReplayCommand.self])

    @OptionGroup var global: GlobalOptions
}

struct SRSReplayCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a review log and print each card's state after each review.",
        discussion: """
            The log is JSON Lines: one review per line, {"card_id": "...", "rating": 1-4, \
            "time": "2024-03-01T08:00:00Z"} (1 Again, 2 Hard, 3 Good, 4 Easy). Each card starts new \
            and its reviews are replayed in time order with the default FSRS-6 parameters, learning \
            steps of 1 and 10 minutes, a relearning step of 10 minutes and no interval fuzz, so the \
            result can be compared with py-fsrs or fsrs-rs. Nothing is written to your progress.
            """)

    @Option(help: ArgumentHelp("The review log (JSON Lines).", valueName: "file")) var log: String
    @Option(help: ArgumentHelp("Probability of recall at which reviews fall due.", valueName: "r"))
    var desiredRetention = 0.9
    @Flag(help: "Print JSON: one object per review.") var json = false
    @OptionGroup var global: GlobalOptions

    /// One replayed review, as `--json` prints it.
    struct Row: Encodable {
        var card: String
        /// The line of the log.
        var line: Int
        var time: String
        /// 1 Again, 2 Hard, 3 Good, 4 Easy.
        var rating: Int
        var state: String
        /// The (re)learning step, or null in the review state.
        @JSONNullable var step: Int?
        var stability: Double
        var difficulty: Double
        var due: String
        /// Whole days from the review to the due time.
        var intervalDays: Int
    }

    func execute(in session: Session) throws {
        let scheduler: FSRSScheduler
        do {
            scheduler = try FSRSScheduler(desiredRetention: desiredRetention, enableFuzz: false)
        } catch {
            throw CLIError.usage("--desired-retention: \(error)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: log, isDirectory: &isDirectory) else {
            throw CLIError.noInput("\(log): no such file")
        }
        guard !isDirectory.boolValue else { throw CLIError.noInput("\(log): is a directory, not a review log") }
        let cards: [ReplayedCard]
        do {
            cards = try ReviewLogReplay.replay(try ReviewLogReplay.load(path: log), scheduler: scheduler, file: log)
        } catch {
            throw error.line == nil ? CLIError.io(error.description) : CLIError.data(error.description)
        }
        let rows = cards.flatMap { card in
            card.steps.map { step in
                Row(card: card.cardID, line: step.line, time: ISO8601Timestamp.string(from: step.reviewedAt),
                    rating: step.rating.rawValue, state: step.state.rawValue, step: step.step,
                    stability: step.stability, difficulty: step.difficulty, due: ISO8601Timestamp.string(from: step.due),
                    intervalDays: step.intervalDays)
            }
        }
        if json {
            try session.printJSON(rows)
            return
        }
        guard !rows.isEmpty else {
            session.out("\(log): no reviews to replay.")
            return
        }
        session.out(Self.table(rows, width: session.width, color: session.color))
    }

    /// One table per card (in the order the log first names them): time, rating, state and
    /// (re)learning step, stability (S) and difficulty (D) to two decimals, due, interval in days.
    static func table(_ rows: [Row], width: Int, color: Bool) -> String {
        var cards: [String] = []
        var byCard: [String: [Row]] = [:]
        for row in rows {
            if byCard[row.card] == nil { cards.append(row.card) }
            byCard[row.card, default: []].append(row)
        }
        let headers = ["time", "rating", "state", "S", "D", "due", "days"]
        let alignments: [TextTable.Alignment] = [.left, .left, .left, .right, .right, .left, .right]
        return cards.map { card in
            let reviews = byCard[card] ?? []
            let body = reviews.map { row -> [String] in
                [shortTime(row.time), Rating(rawValue: row.rating)?.name ?? String(row.rating),
                 row.state + (row.step.map { " \($0)" } ?? ""), String(format: "%.2f", row.stability),
                 String(format: "%.2f", row.difficulty), shortTime(row.due), String(row.intervalDays)]
            }
            let title = Style.bold.apply("card " + TerminalText.line(card), enabled: color) + " · " + Text.plural(reviews.count, "review")
            return title + "\n" + TextTable(headers: headers, rows: body, alignments: alignments, boxed: false)
                .render(maxWidth: width, color: color)
        }.joined(separator: "\n\n") + "\n"
            + wrap("state N: the (re)learning step; S stability (days), D difficulty (1–10); --json has full precision.",
                   width: width).map { Style.dim.apply($0, enabled: color) }.joined(separator: "\n")
    }

    /// "2022-11-29T12:30:00Z" → "2022-11-29 12:30".
    private static func shortTime(_ iso: String) -> String {
        guard iso.count >= 16 else { return iso }
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }
}
