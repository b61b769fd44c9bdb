/// Which rubric points a learner's sketch seems to mention. A hint for the learner's self-rating,
/// not a grade: it only looks for key terms.
public enum SketchHints {
    /// One rubric point and the key terms of it found in the sketch.
    public struct Hint: Sendable, Hashable {
        public let point: String
        /// The rubric's key terms that the sketch mentions, in rubric order.
        public let matchedKeys: [String]
        /// True when at least one key term was found.
        public var mentioned: Bool { !matchedKeys.isEmpty }
    }

    /// For each rubric point, the key terms the sketch mentions. Matching ignores case and
    /// punctuation, respects word boundaries ("probe" is not found in "probability"), lets a
    /// phrase match across hyphens and line breaks ("chain-of-thought" = "chain of thought"), and
    /// tolerates simple endings: s, es, ing, ed, d, e ("patch" = "patches" = "patching").
    public static func hints(sketch: String, rubric: [RubricPoint]) -> [Hint] {
        let text = words(sketch)
        return rubric.map { point in
            Hint(point: point.point, matchedKeys: point.keys.filter { contains(text, phrase: words($0)) })
        }
    }

    /// The lower-case words of a text: maximal runs of letters and digits.
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    private static func contains(_ text: [String], phrase: [String]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= text.count else { return false }
        let phraseForms = phrase.map(forms)
        let textForms = text.map(forms)
        for start in 0...(text.count - phrase.count) {
            let matches = phraseForms.indices.allSatisfy { !phraseForms[$0].isDisjoint(with: textForms[start + $0]) }
            if matches { return true }
        }
        return false
    }

    /// A word and the stems left by removing one common ending, keeping at least three characters.
    static func forms(_ word: String) -> Set<String> {
        var result: Set<String> = [word]
        for ending in ["s", "es", "ing", "ed", "d", "e"] where word.hasSuffix(ending) && word.count - ending.count >= 3 {
            if ending == "s" && word.hasSuffix("ss") { continue }
            result.insert(String(word.dropLast(ending.count)))
        }
        return result
    }
}
