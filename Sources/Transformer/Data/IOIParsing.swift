// Reading an IOI prompt back from its text: template, name order, fillers, positions.

extension IOIData {
    /// The prompt a text stands for, re-derived from its words (`Vocabulary.shared`).
    ///
    /// A text made by one of the templates gets its template, order and positions back exactly.
    /// Other texts are accepted when every word is in the vocabulary: template -1, and positions
    /// found from the names (S = the repeated name, IO = the other one; "END" is always set).
    /// `orderHint` ("ABBA"/"BABA") decides the order when no name repeats (an "abc" corruption).
    /// - Throws: `ModelError` naming the first unknown word, or an empty text.
    public static func prompt(parsing text: String, orderHint: String? = nil) throws(ModelError) -> IOIPrompt {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else { throw ModelError("empty prompt") }
        var tokens = [Vocabulary.bosID]
        for w in words {
            guard let id = Vocabulary.ids[w] else {
                let near = Tokenizer.closest(to: w, in: Vocabulary.shared, limit: 3)
                throw ModelError("unknown word '\(w)'" + (near.isEmpty ? "" : "; closest: " + near.joined(separator: ", ")))
            }
            tokens.append(id)
        }
        if let (structure, content) = match(words, orderHint: orderHint) {
            let built = build(structure, content: content)
            if built.tokens == tokens { return built }
        }
        return looseParse(words, tokens: tokens)
    }

    /// Template, order and content of template-made words, or nil.
    static func match(_ words: [String], orderHint: String?) -> (Structure, Content)? {
        let fillerSet = Set(Vocabulary.fillers), nameSet = Set(Vocabulary.names)
        var before = 0
        while before < words.count, before < maxFillersBefore, fillerSet.contains(words[before]) { before += 1 }
        for (t, slots) in IOITemplates.all.enumerated() {
            var i = before
            var names: [IOISlot: String] = [:]
            var place = "", object = "", between: [String] = []
            var ok = true
            for slot in slots where ok {
                switch slot {
                case .word(let w):
                    ok = i < words.count && words[i] == w
                    i += 1
                case .nameA, .nameB, .subject:
                    ok = i < words.count && nameSet.contains(words[i])
                    if ok { names[slot] = words[i] }
                    i += 1
                case .place:
                    ok = i < words.count && Vocabulary.places.contains(words[i])
                    if ok { place = words[i] }
                    i += 1
                case .object:
                    ok = i < words.count && Vocabulary.objects.contains(words[i])
                    if ok { object = words[i] }
                    i += 1
                case .midFillers:
                    while i < words.count, between.count < maxFillersBetween, fillerSet.contains(words[i]) {
                        between.append(words[i])
                        i += 1
                    }
                }
            }
            guard ok, i == words.count, let a = names[.nameA], let b = names[.nameB], let s = names[.subject] else { continue }
            let abba: Bool
            if b == s && a != s { abba = true } else if a == s && b != s { abba = false } else { abba = orderHint != "BABA" }
            let structure = Structure(template: t, abba: abba, fillersBefore: before, fillersBetween: between.count)
            let content = Content(nameA: a, nameB: b, subject: s, place: place, object: object,
                                  before: Array(words[..<before]), between: between)
            return (structure, content)
        }
        return nil
    }

    /// Positions from the names of a text that no template made.
    private static func looseParse(_ words: [String], tokens: [Int]) -> IOIPrompt {
        let nameSet = Set(Vocabulary.names)
        let found = words.enumerated().filter { nameSet.contains($0.element) }.map { (index: $0.offset + 1, name: $0.element) }
        var positions = ["END": words.count]
        var io = "", s = "", order = ""
        if found.count == 3, found[2].name == found[0].name || found[2].name == found[1].name, found[0].name != found[1].name {
            let sFirst = found[2].name == found[0].name
            s = found[2].name
            io = sFirst ? found[1].name : found[0].name
            positions["S1"] = sFirst ? found[0].index : found[1].index
            positions["IO"] = sFirst ? found[1].index : found[0].index
            positions["S2"] = found[2].index
            order = sFirst ? "BABA" : "ABBA"
        }
        return IOIPrompt(text: words.joined(separator: " "), tokens: tokens, io: io, s: s, template: -1, order: order,
                         positions: positions)
    }
}
