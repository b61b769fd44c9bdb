/// How well a card was recalled, on FSRS's four-point scale (stored as 1–4).
public enum Rating: Int, CaseIterable, Codable, Hashable, Sendable {
    case again = 1
    case hard = 2
    case good = 3
    case easy = 4

    /// The rating an objective answer gives its card: Good when right, Again when wrong.
    public static func forAnswer(correct: Bool) -> Rating {
        correct ? .good : .again
    }

    /// The rating's display name: "Again", "Hard", "Good" or "Easy".
    public var name: String {
        switch self {
        case .again: "Again"
        case .hard: "Hard"
        case .good: "Good"
        case .easy: "Easy"
        }
    }
}
