// Seeded IOI data: training prompts and clean/corrupted pairs for patching.
import Tensor

/// How the corrupted prompt of an IOI pair differs from the clean one.
public enum IOICorruption: String, Sendable, Codable, CaseIterable {
    /// All three names replaced by three other, distinct names.
    case abc
    /// IO and S swapped everywhere (the right answer of the corrupted prompt is the clean S).
    case flip
}

/// One IOI prompt: "… when Mary and John went to the store , John gave a drink to" → "Mary".
public struct IOIPrompt: Codable, Sendable, Equatable {
    /// The words, space-separated, without `<bos>`.
    public var text: String
    /// Ids in `Vocabulary.shared`, `<bos>` first.
    public var tokens: [Int]
    /// The indirect object (the right answer).
    public var io: String
    /// The subject (the name said twice).
    public var s: String
    /// Index of the template in `IOIData.templateCount`.
    public var template: Int
    /// "ABBA" when IO comes first in the first clause, "BABA" otherwise.
    public var order: String
    /// Token indices (into `tokens`) of "IO", "S1", "S2" and "END" (the last position).
    public var positions: [String: Int]

    public init(text: String, tokens: [Int], io: String, s: String, template: Int, order: String, positions: [String: Int]) {
        self.text = text
        self.tokens = tokens
        self.io = io
        self.s = s
        self.template = template
        self.order = order
        self.positions = positions
    }
}

/// A clean prompt, its corrupted counterpart (same token length and positions), and the metric's tokens.
public struct IOIPair: Codable, Sendable, Equatable {
    public var clean: IOIPrompt
    public var corrupted: IOIPrompt
    /// The clean right answer (clean IO).
    public var answer: String
    /// The clean wrong answer (clean S).
    public var wrong: String

    public init(clean: IOIPrompt, corrupted: IOIPrompt, answer: String, wrong: String) {
        self.clean = clean
        self.corrupted = corrupted
        self.answer = answer
        self.wrong = wrong
    }
}

/// Generators of IOI prompts over `Vocabulary.shared`.
public enum IOIData {
    /// Most filler words before the first clause.
    public static let maxFillersBefore = 6
    /// Most filler words between the clauses.
    public static let maxFillersBetween = 4
    /// Number of templates.
    public static var templateCount: Int { IOITemplates.all.count }
    /// The longest prompt, in tokens including `<bos>` (fits a context of 32).
    public static var maxTokens: Int { IOITemplates.maxTokens }

    /// The structure of a prompt: which template, name order, and filler counts.
    struct Structure: Equatable {
        var template: Int
        var abba: Bool
        var fillersBefore: Int
        var fillersBetween: Int
    }

    /// The content of a prompt: names, place, object, filler words.
    struct Content {
        var nameA: String, nameB: String, subject: String
        var place: String, object: String
        var before: [String], between: [String]
    }

    /// Training/eval prompts: random template, both orders, random names, place, object and fillers
    /// (0–6 before, 0–4 between the clauses) so that positions vary. `n` below 1 gives an empty list.
    public static func prompts(n: Int, rng: inout SeededRandom) -> [IOIPrompt] {
        (0..<Swift.max(n, 0)).map { _ in
            let structure = randomStructure(&rng)
            let (io, s) = twoNames(&rng)
            return build(structure, content: randomContent(structure, io: io, s: s, &rng))
        }
    }

    /// Patching datasets: `n` clean/corrupted pairs (at least 1) that share one structure (template,
    /// name order, filler counts), drawn from `seed`, so "IO", "S1", "S2", "END" sit at the same
    /// indices in every prompt; names, places, objects and filler words vary between pairs.
    public static func pairs(n: Int, seed: UInt64, corruption: IOICorruption) -> [IOIPair] {
        var rng = SeededRandom(seed: seed)
        let structure = randomStructure(&rng)
        return (0..<Swift.max(n, 1)).map { _ in
            let (io, s) = twoNames(&rng)
            let content = randomContent(structure, io: io, s: s, &rng)
            let clean = build(structure, content: content)
            var bad = content
            // The replacement names are drawn for every corruption, so one seed gives the same clean
            // prompts whichever corruption is asked for: abc and flip results compare like for like.
            var picks = Vocabulary.names.filter { $0 != io && $0 != s }
            rng.shuffle(&picks)
            switch corruption {
            case .flip:
                (bad.nameA, bad.nameB, bad.subject) = (content.nameB, content.nameA, io)
            case .abc:
                (bad.nameA, bad.nameB, bad.subject) = (picks[0], picks[1], picks[2])
            }
            return IOIPair(clean: clean, corrupted: build(structure, content: bad), answer: io, wrong: s)
        }
    }

    // MARK: - Building blocks

    static func randomStructure(_ rng: inout SeededRandom) -> Structure {
        Structure(template: rng.randint(0..<templateCount), abba: rng.randint(0..<2) == 0,
                  fillersBefore: rng.randint(0...maxFillersBefore), fillersBetween: rng.randint(0...maxFillersBetween))
    }

    static func twoNames(_ rng: inout SeededRandom) -> (io: String, s: String) {
        let i = rng.randint(0..<Vocabulary.names.count)
        var j = rng.randint(0..<(Vocabulary.names.count - 1))
        if j >= i { j += 1 }
        return (Vocabulary.names[i], Vocabulary.names[j])
    }

    static func randomContent(_ st: Structure, io: String, s: String, _ rng: inout SeededRandom) -> Content {
        func fillers(_ k: Int) -> [String] {
            (0..<k).map { _ in Vocabulary.fillers[rng.randint(0..<Vocabulary.fillers.count)] }
        }
        let place = Vocabulary.places[rng.randint(0..<Vocabulary.places.count)]
        let object = Vocabulary.objects[rng.randint(0..<Vocabulary.objects.count)]
        return Content(nameA: st.abba ? io : s, nameB: st.abba ? s : io, subject: s, place: place, object: object,
                       before: fillers(st.fillersBefore), between: fillers(st.fillersBetween))
    }

    /// The prompt for a structure and its content. IO and S are read from the names: S is the
    /// subject of the second clause; IO is the first-clause name that differs from it (or nameA when
    /// both do, as in an "abc" corruption).
    static func build(_ st: Structure, content c: Content) -> IOIPrompt {
        var words = c.before
        var positions: [String: Int] = [:]
        for slot in IOITemplates.all[st.template] {
            let index = words.count + 1                 // +1 for <bos>
            switch slot {
            case .word(let w): words.append(w)
            case .nameA:
                positions[st.abba ? "IO" : "S1"] = index
                words.append(c.nameA)
            case .nameB:
                positions[st.abba ? "S1" : "IO"] = index
                words.append(c.nameB)
            case .subject:
                positions["S2"] = index
                words.append(c.subject)
            case .place: words.append(c.place)
            case .object: words.append(c.object)
            case .midFillers: words += c.between
            }
        }
        positions["END"] = words.count                   // the last token's index (with <bos> at 0)
        let s = c.subject
        let io = st.abba ? (c.nameA != s ? c.nameA : c.nameB) : (c.nameB != s ? c.nameB : c.nameA)
        let tokens = [Vocabulary.bosID] + words.map { Vocabulary.ids[$0] ?? Vocabulary.padID }
        return IOIPrompt(text: words.joined(separator: " "), tokens: tokens, io: io, s: s,
                         template: st.template, order: st.abba ? "ABBA" : "BABA", positions: positions)
    }
}
