import Course

/// "Did you mean" suggestions by edit distance.
enum Suggest {
    /// The candidates closest to `word`, best first, within a distance that scales with length;
    /// a candidate that starts with `word` always qualifies.
    static func closest(to word: String, in candidates: [String], limit: Int = 3) -> [String] {
        let w = word.lowercased()
        let scored = candidates.map { c -> (String, Int) in
            let d = c.lowercased().hasPrefix(w) && !w.isEmpty ? 0 : Suggestion.editDistance(w, c.lowercased())
            return (c, d)
        }
        let budget = max(2, w.count / 3)
        let near = scored.filter { $0.1 <= budget }
        // Only the best: 'lesons' suggests 'lessons', not also the farther 'lens'.
        guard let best = near.map(\.1).min() else { return [] }
        return near.filter { $0.1 == best }.map(\.0).sorted().prefix(limit).map { $0 }
    }

    /// " (did you mean 'x'?)" or an empty string.
    static func phrase(for word: String, in candidates: [String]) -> String {
        let c = closest(to: word, in: candidates)
        guard !c.isEmpty else { return "" }
        return "; did you mean " + c.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }
}
