import Course

/// "Did you mean" in the CLI's messages, from the program's one suggester (`Course.Suggestion`).
enum Suggest {
    /// "; did you mean 'x'?" or an empty string.
    static func phrase(for word: String, in candidates: [String]) -> String {
        Suggestion.closest(to: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
