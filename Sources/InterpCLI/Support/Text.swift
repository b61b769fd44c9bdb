import TerminalUI

/// Small text helpers for command output.
enum Text {
    /// "1 lesson", "2 lessons".
    static func plural(_ n: Int, _ word: String, _ pluralWord: String? = nil) -> String {
        "\(n) " + (n == 1 ? word : (pluralWord ?? word + "s"))
    }
}
