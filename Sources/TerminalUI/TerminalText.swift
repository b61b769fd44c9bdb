/// The one sanitizer: every string that did not come from a renderer of this module (course
/// fields, vocabulary tokens, model metadata, learner output, log ids, diagnostics) passes it
/// before it reaches the terminal, so none can move the cursor, start an escape sequence, retitle
/// the window or reorder what is shown. Control characters are not dropped but shown as visible
/// symbols, as a reader of the source would want to see them: ESC as `␛`, other C0 controls as
/// their Control Pictures (`␀`…`␟`), DEL as `␡`, C1 controls and the bidirectional overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069) as `�`.
public enum TerminalText {
    /// `text` safe on one line: newline shown as `↵`, tab as `⇥`, carriage return as `␍`.
    public static func line(_ text: String) -> String {
        clean(text, keepingNewlines: false)
    }

    /// `text` safe as a block of lines: newlines kept, tabs become a space, carriage returns and
    /// every other control shown as symbols.
    public static func block(_ text: String) -> String {
        clean(text, keepingNewlines: true)
    }

    private static func clean(_ text: String, keepingNewlines: Bool) -> String {
        guard text.unicodeScalars.contains(where: { needsReplacement($0, keepingNewlines: keepingNewlines) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A where keepingNewlines: out.append(scalar)
            case 0x09 where keepingNewlines: out.append(" ")
            case 0x0A: out.append("↵")
            case 0x09: out.append("⇥")
            case 0x00..<0x20: out.append(Unicode.Scalar(0x2400 + scalar.value) ?? "�")  // ␀…␟, ESC ␛, CR ␍
            case 0x7F: out.append("␡")
            case 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069: out.append("�")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    private static func needsReplacement(_ scalar: Unicode.Scalar, keepingNewlines: Bool) -> Bool {
        switch scalar.value {
        case 0x0A: return !keepingNewlines
        case 0x00..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
