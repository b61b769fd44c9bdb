/// "Did you mean" suggestions by edit distance.
public enum Suggestion {
    /// The candidate closest to `input`, if it is close enough to be a plausible typo: a unique
    /// candidate that starts with `input` (three characters or more), or the candidate with the
    /// smallest edit distance when that distance is at most a third of the longer word (at least 1,
    /// at most 3). Ties go to the earlier candidate. Comparison ignores case.
    public static func closest(to input: String, among candidates: [String]) -> String? {
        let query = input.lowercased()
        guard !query.isEmpty else { return nil }
        if query.count >= 3 {
            let prefixed = candidates.filter { $0.lowercased().hasPrefix(query) }
            if prefixed.count == 1 { return prefixed[0] }
        }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let lowered = candidate.lowercased()
            guard lowered != query else { return candidate }
            let limit = min(3, max(1, max(lowered.count, query.count) / 3))
            let distance = editDistance(query, lowered)
            guard distance <= limit else { continue }
            if let current = best, current.distance <= distance { continue }
            best = (candidate, distance)
        }
        return best?.candidate
    }

    /// "did you mean 'x'? known: a, b, c" (the suggestion only when one is close): what to add,
    /// in parentheses, after an unknown name so the author sees every valid one.
    public static func listing(_ input: String, among candidates: [String]) -> String {
        let known = candidates.isEmpty ? "none are known" : "known: " + candidates.joined(separator: ", ")
        guard let guess = closest(to: input, among: candidates) else { return known }
        return "did you mean '\(guess)'? \(known)"
    }

    /// Edit distance counting an insertion, a deletion, a substitution or a swap of two
    /// neighbouring characters as one edit (optimal string alignment), in characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // rows[i][j]: distance between the first i characters of a and the first j of b.
        var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { rows[i][0] = i }
        for j in 0...b.count { rows[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, rows[i - 2][j - 2] + 1)
                }
                rows[i][j] = best
            }
        }
        return rows[a.count][b.count]
    }
}
