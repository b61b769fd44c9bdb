// The IOI sentence templates: fixed words with slots for names, place, object and fillers.

/// One piece of an IOI template.
enum IOISlot: Hashable, Sendable {
    /// A fixed word of the template.
    case word(String)
    /// The first name of the first clause (IO in ABBA, S in BABA).
    case nameA
    /// The second name of the first clause (S in ABBA, IO in BABA).
    case nameB
    /// The subject repeated in the second clause (S2).
    case subject
    case place, object
    /// Where the 0–4 filler words between the clauses go.
    case midFillers
}

/// The IOI templates. Every template ends with the word before the answer (`END`), and the
/// indirect object is the name of the first clause that is not repeated.
enum IOITemplates {
    static let all: [[IOISlot]] = [
        parse("when A and B went to the P , F S gave a O to"),
        parse("after A and B went to the P , F S handed the O to"),
        parse("then , A and B had a lot of fun at the P . F S gave a O to"),
        parse("when A and B got a O at the P , F S decided to give it to"),
        parse("while A and B were working at the P , F S passed the O to"),
        parse("A and B spent time at the P . F S brought a O to"),
    ]

    private static func parse(_ text: String) -> [IOISlot] {
        text.split(separator: " ").map { word in
            switch word {
            case "A": return .nameA
            case "B": return .nameB
            case "S": return .subject
            case "P": return .place
            case "O": return .object
            case "F": return .midFillers
            default: return .word(String(word))
            }
        }
    }

    /// The longest prompt any template makes, in tokens including `<bos>`.
    static var maxTokens: Int {
        all.map { $0.count - 1 + IOIData.maxFillersBefore + IOIData.maxFillersBetween + 1 }.max() ?? 0
    }
}
