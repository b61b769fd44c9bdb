/// The styles the Markdown renderer uses when colour is on.
enum MarkdownTheme {
    static let heading1 = Style.bold + .magenta
    static let heading2 = Style.bold + .cyan
    static let heading3 = Style.bold
    static let heading4 = Style.bold + .italic
    static let emphasis = Style.italic
    static let strong = Style.bold
    static let strikethrough = Style.strikethrough + .dim
    static let inlineCode = Style.yellow
    static let link = Style.blue + .underline
    static let url = Style.gray
    static let image = Style.magenta
    static let footnoteReference = Style.cyan
    static let html = Style.dim
    static let rule = Style.gray
    static let quoteBar = Style.gray
    static let listMarker = Style.cyan
    static let checkedBox = Style.green
    static let codeFrame = Style.gray
    static let codeLabel = Style.gray + .italic
    static let runLabel = Style.green + .bold

    static func heading(level: Int) -> Style {
        switch level {
        case 1: return heading1
        case 2: return heading2
        case 3: return heading3
        default: return heading4
        }
    }
}

/// The glyphs the renderer draws. Task boxes differ by mode: ☐ / ☑ with colour, [ ] / [x] without.
enum MarkdownGlyphs {
    static let bullets = ["•", "◦", "▪"]
    static let quoteBar = "│"
    static let rule = "─"
    static let heading1Rule = "═"
    static let heading2Rule = "─"
    static let codeRule = "─"

    static func taskBox(checked: Bool, color: Bool) -> String {
        if color { return checked ? "☑" : "☐" }
        return checked ? "[x]" : "[ ]"
    }
}
