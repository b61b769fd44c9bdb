import Foundation

/// One line of a review log: card `card_id` was rated `rating` at `time`.
public struct ReviewLogEntry: Hashable, Sendable {
    public var cardID: String
    public var rating: Rating
    public var time: Date
    /// 1-based line in the log file.
    public var line: Int

    public init(cardID: String, rating: Rating, time: Date, line: Int) {
        self.cardID = cardID
        self.rating = rating
        self.time = time
        self.line = line
    }
}

/// A problem in a review log, printed as `file:line: message`.
public struct ReviewLogIssue: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line, or nil for a problem with the whole file.
    public var line: Int?
    public var message: String

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// A card's state right after one replayed review.
public struct ReplayStep: Hashable, Sendable {
    /// The log line of the review.
    public var line: Int
    public var rating: Rating
    public var reviewedAt: Date
    public var state: CardState
    public var step: Int?
    public var stability: Double
    public var difficulty: Double
    public var due: Date
    /// Whole days from the review to `due`.
    public var intervalDays: Int
}

/// One card's replayed history: its state after each review, oldest first.
public struct ReplayedCard: Hashable, Sendable {
    public var cardID: String
    public var steps: [ReplayStep]
    /// The card after its last review.
    public var card: SRSCard
}

/// Replays a JSONL review log (`{"card_id": …, "rating": 1–4, "time": "ISO-8601"}` per line)
/// through the scheduler, to import history or to check the scheduler against another one.
public enum ReviewLogReplay {
    /// Every problem in `text`, one per offending line; empty when the log is valid.
    public static func validate(_ text: String, file: String) -> [ReviewLogIssue] {
        scan(Data(text.utf8), file: file).issues
    }

    /// The entries of `text`; throws the first problem as a `ReviewLogIssue`.
    public static func parse(_ text: String, file: String) throws(ReviewLogIssue) -> [ReviewLogEntry] {
        try entries(from: scan(Data(text.utf8), file: file))
    }

    /// Reads and parses the log at `path`; problems name `path`.
    public static func load(path: String) throws(ReviewLogIssue) -> [ReviewLogEntry] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReviewLogIssue(file: path, line: nil, message: "no such file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw ReviewLogIssue(file: path, line: nil,
                                 message: isDirectory.boolValue ? "is a directory" : "cannot read the file")
        }
        return try entries(from: scan(data, file: path))
    }

    /// Replays `entries` card by card, each card's reviews in time order (ties keep log order),
    /// starting from a new card. Cards come in the order of their first line in the log.
    /// - Throws: the log line whose review would fall due after the year 9999, naming `file`.
    public static func replay(_ entries: [ReviewLogEntry], scheduler: FSRSScheduler,
                              file: String) throws(ReviewLogIssue) -> [ReplayedCard] {
        var order: [String] = []
        var byCard: [String: [ReviewLogEntry]] = [:]
        for entry in entries {
            if byCard[entry.cardID] == nil { order.append(entry.cardID) }
            byCard[entry.cardID, default: []].append(entry)
        }
        var cards: [ReplayedCard] = []
        for cardID in order {
            guard let reviews = byCard[cardID]?.sorted(by: { ($0.time, $0.line) < ($1.time, $1.line) }),
                  let first = reviews.first
            else { continue }
            var card = SRSCard(id: cardID, due: first.time)
            var steps: [ReplayStep] = []
            for entry in reviews {
                let (next, record) = scheduler.review(card, rating: entry.rating, at: entry.time)
                guard ISO8601Timestamp.isSupported(record.due) else {
                    throw ReviewLogIssue(file: file, line: entry.line, message: "this review would fall due at "
                        + "\(ISO8601Timestamp.string(from: record.due)), after the supported years \(ISO8601Timestamp.supportedYears)")
                }
                card = next
                steps.append(ReplayStep(
                    line: entry.line, rating: entry.rating, reviewedAt: entry.time,
                    state: record.state, step: record.step, stability: record.stability,
                    difficulty: record.difficulty, due: record.due,
                    intervalDays: record.scheduledDays))
            }
            cards.append(ReplayedCard(cardID: cardID, steps: steps, card: card))
        }
        return cards
    }

    // MARK: - Parsing

    private static func entries(
        from result: (entries: [ReviewLogEntry], issues: [ReviewLogIssue])
    ) throws(ReviewLogIssue) -> [ReviewLogEntry] {
        if let first = result.issues.first { throw first }
        return result.entries
    }

    private static func scan(_ data: Data, file: String) -> (entries: [ReviewLogEntry], issues: [ReviewLogIssue]) {
        var entries: [ReviewLogEntry] = []
        var issues: [ReviewLogIssue] = []
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // byte-order mark
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        let decoder = JSONDecoder()
        for (index, rawLine) in lines.enumerated() {
            var line = rawLine
            if line.last == 0x0D { line = line.dropLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            switch entry(from: Data(line), line: index + 1, decoder: decoder) {
            case .success(let entry): entries.append(entry)
            case .failure(let message):
                issues.append(ReviewLogIssue(file: file, line: index + 1, message: message.text))
            }
        }
        return (entries, issues)
    }

    private struct Message: Error { let text: String }

    private static func entry(from line: Data, line number: Int,
                              decoder: JSONDecoder) -> Result<ReviewLogEntry, Message> {
        guard let value = try? decoder.decode(JSONValue.self, from: line),
              case .object(let object) = value
        else { return .failure(Message(text: "not a JSON object")) }

        let cardID: String
        switch object["card_id"] {
        case nil: return .failure(Message(text: "missing card_id"))
        case .string(let text) where !text.trimmingCharacters(in: .whitespaces).isEmpty:
            cardID = text
        case let other?:
            guard let integer = other.integerValue else {
                return .failure(Message(text: "card_id must be a non-empty string or an integer"))
            }
            cardID = String(integer)
        }

        guard let ratingValue = object["rating"] else {
            return .failure(Message(text: "missing rating"))
        }
        guard let score = ratingValue.integerValue, let rating = Rating(rawValue: Int(clamping: score)) else {
            return .failure(Message(text: "rating must be 1–4"))
        }

        guard let timeValue = object["time"] else { return .failure(Message(text: "missing time")) }
        guard case .string(let text) = timeValue else {
            return .failure(Message(text: "time must be a string such as \"2024-03-01T08:00:00Z\""))
        }
        let time: Date
        do { time = try ISO8601Timestamp.read(text) } catch {
            return .failure(Message(text: "time '\(text.prefix(40))' \(error)"))
        }
        return .success(ReviewLogEntry(cardID: cardID, rating: rating, time: time, line: number))
    }
}
