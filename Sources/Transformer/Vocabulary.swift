// The shared word vocabulary of the bundled models: specials, IOI word classes, generic words.

/// The word vocabulary the bundled models (induction-2l, ioi-3l) are trained on.
///
/// Ids are positions in `shared`: `<bos>` is 0, `<pad>` 1 (a neutral token for padding and as a
/// perturbation baseline), then the IOI word classes and generic words. Every name is one token.
/// Random-token tasks draw from every word after the two specials.
public struct Vocabulary: Sendable {
    /// The beginning-of-sequence token.
    public static let bos = "<bos>"
    /// The padding token.
    public static let pad = "<pad>"

    /// First names, one token each (the IOI subjects and indirect objects).
    public static let names = [
        "Mary", "John", "Alice", "Bob", "Tom", "Anna", "James", "Kate", "Paul", "Lisa", "Mark", "Sarah",
        "David", "Emma", "Peter", "Laura", "Sam", "Julia", "Max", "Rose", "Dan", "Claire", "Ben", "Nina",
    ]
    /// Places of the IOI templates.
    public static let places = [
        "store", "park", "school", "garden", "market", "beach", "station", "library", "office", "house", "river", "cafe",
    ]
    /// Objects of the IOI templates.
    public static let objects = [
        "ball", "book", "drink", "apple", "ring", "cake", "key", "letter", "bag", "hat", "kite", "phone",
    ]
    /// The fixed words of the IOI templates (verbs, articles, punctuation, connectives).
    public static let templateWords = [
        "when", "after", "then", "while", "and", "went", "to", "the", "a", "at", ",", ".", "gave", "handed",
        "had", "lot", "of", "fun", "got", "decided", "give", "it", "were", "working", "passed", "spent",
        "time", "brought",
    ]
    /// Filler words inserted at random before and between the IOI clauses (never in a template).
    public static let fillers = [
        "so", "well", "today", "later", "quietly", "yes", "indeed", "also", "really", "sadly", "luckily",
        "again", "now", "still", "soon", "finally",
    ]
    /// Generic words that only the random-token tasks use.
    public static let generic = [
        "cat", "dog", "red", "blue", "green", "seven", "three", "nine", "tree", "moon", "sun", "star",
        "fish", "bird", "rain", "snow", "stone", "gold", "silver", "cloud", "wind", "fire", "lamp", "door",
        "chair", "cup", "milk", "bread", "road", "ship", "sky", "leaf", "sand", "wolf",
    ]

    /// `<bos>`, `<pad>`, names, places, objects, template words, fillers, generic words (128 tokens).
    public static let shared: [String] = [bos, pad] + names + places + objects + templateWords + fillers + generic

    /// Id of `<bos>` in `shared`.
    public static let bosID = 0
    /// Id of `<pad>` in `shared`.
    public static let padID = 1
    /// The first id of an ordinary word (random-token tasks draw from `firstWordID..<vocabSize`).
    public static let firstWordID = 2

    /// Ids by word in `shared`.
    public static let ids: [String: Int] = {
        var out: [String: Int] = [:]
        for (i, w) in shared.enumerated() where out[w] == nil { out[w] = i }
        return out
    }()

    /// The id of a word of `shared`, or nil.
    public static func id(_ word: String) -> Int? { ids[word] }
}
