/// "Did you mean" suggestions by edit distance.
enum Suggest {
    /// Levenshtein distance between two strings (by Character).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// The candidates closest to `word`, best first, within a distance that scales with length;
    /// a candidate that starts with `word` always qualifies.
    static func closest(to word: String, in candidates: [String], limit: Int = 3) -> [String] {
        let w = word.lowercased()
        let scored = candidates.map { c -> (String, Int) in
            let d = c.lowercased().hasPrefix(w) && !w.isEmpty ? 0 : distance(w, c.lowercased())
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
