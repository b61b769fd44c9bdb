@preconcurrency import CCmark

/// Builds the styled text of a run of inline nodes. Styles nest; they are written lazily, just
/// before the text they apply to, so closing an inner style resets and reopens only what the
/// next text needs (`**bold *and italic* bold**` stays bold after the italic part).
struct InlineWriter {
    let color: Bool
    private var text = ""
    private var stack: [Style] = []
    /// The SGR codes in force in `text` so far.
    private var written: [String] = []

    init(color: Bool) { self.color = color }

    mutating func push(_ style: Style) { stack.append(style) }

    mutating func pop() { _ = stack.popLast() }

    /// Appends text made safe (control characters shown as symbols) in the styles pushed so far.
    mutating func append(_ string: String) {
        let clean = TerminalText.block(string)
        guard !clean.isEmpty else { return }
        if color { syncStyles() }
        text += clean
    }

    mutating func append(_ string: String, style: Style) {
        push(style)
        append(string)
        pop()
    }

    /// Appends an escape sequence (a hyperlink); ignored without colour.
    mutating func appendEscape(_ sequence: String) {
        if color { text += sequence }
    }

    /// The text, with any style still written closed.
    mutating func finish() -> String {
        if !written.isEmpty { text += ANSIText.reset; written = [] }
        return text
    }

    private mutating func syncStyles() {
        let wanted = stack.flatMap(\.codes)
        guard wanted != written else { return }
        if wanted.starts(with: written) {
            text += Self.sgr(Array(wanted[written.count...]))
        } else {
            if !written.isEmpty { text += ANSIText.reset }
            if !wanted.isEmpty { text += Self.sgr(wanted) }
        }
        written = wanted
    }

    private static func sgr(_ codes: [String]) -> String { "\u{1B}[" + codes.joined(separator: ";") + "m" }
}

extension MarkdownRenderContext {
    /// The styled text of `node`'s inline children, all of it in `base`.
    func inlineText(_ node: MarkdownNode, base: Style = .plain) -> String {
        var writer = InlineWriter(color: color)
        writer.push(base)
        for child in node.children { renderInline(child, into: &writer) }
        writer.pop()
        return writer.finish()
    }

    private func renderChildren(_ node: MarkdownNode, into writer: inout InlineWriter, style: Style) {
        writer.push(style)
        for child in node.children { renderInline(child, into: &writer) }
        writer.pop()
    }

    func renderInline(_ node: MarkdownNode, into writer: inout InlineWriter) {
        switch node.type {
        case CMARK_NODE_TEXT:
            writer.append(node.literal)
        case CMARK_NODE_SOFTBREAK:
            writer.append(" ")
        case CMARK_NODE_LINEBREAK:
            writer.append("\n")
        case CMARK_NODE_CODE:
            writer.append(color ? node.literal : "`" + node.literal + "`", style: MarkdownTheme.inlineCode)
        case CMARK_NODE_HTML_INLINE:
            writer.append(node.literal, style: MarkdownTheme.html)
        case CMARK_NODE_EMPH:
            renderChildren(node, into: &writer, style: MarkdownTheme.emphasis)
        case CMARK_NODE_STRONG:
            renderChildren(node, into: &writer, style: MarkdownTheme.strong)
        case CMARK_NODE_STRIKETHROUGH:
            if !color { writer.append("~~") }
            renderChildren(node, into: &writer, style: MarkdownTheme.strikethrough)
            if !color { writer.append("~~") }
        case CMARK_NODE_LINK:
            renderLink(node, into: &writer)
        case CMARK_NODE_IMAGE:
            let alt = node.plainText
            writer.append(alt.isEmpty ? "[image]" : "[image: \(alt)]", style: MarkdownTheme.image)
            if !node.url.isEmpty { writer.append(" ("); writer.append(node.url, style: MarkdownTheme.url); writer.append(")") }
        case CMARK_NODE_FOOTNOTE_REFERENCE:
            let number = node.literal.isEmpty ? "?" : node.literal
            writer.append("[\(number)]", style: MarkdownTheme.footnoteReference)
        default:
            for child in node.children { renderInline(child, into: &writer) }
        }
    }

    /// OSC 8 around the text when hyperlinks are on; otherwise `text (url)`, the url left out
    /// when the text already says it (autolinks).
    private func renderLink(_ node: MarkdownNode, into writer: inout InlineWriter) {
        let url = TerminalText.line(node.url)
        let label = node.plainText
        if url.isEmpty {
            renderChildren(node, into: &writer, style: MarkdownTheme.link)
            return
        }
        if hyperlinks {
            writer.appendEscape(ANSIText.hyperlinkOpen(url))
            if label.isEmpty { writer.append(url, style: MarkdownTheme.link) } else {
                renderChildren(node, into: &writer, style: MarkdownTheme.link)
            }
            writer.appendEscape(ANSIText.hyperlinkClose)
            return
        }
        if label.isEmpty {
            writer.append(url, style: MarkdownTheme.link)
            return
        }
        renderChildren(node, into: &writer, style: MarkdownTheme.link)
        if !Self.textStates(url: url, label) {
            writer.append(" (")
            writer.append(url, style: MarkdownTheme.url)
            writer.append(")")
        }
    }

    /// Whether a link's text is its url, give or take the scheme an autolink adds.
    static func textStates(url: String, _ text: String) -> Bool {
        url == text || url == "http://" + text || url == "https://" + text || url == "mailto:" + text
    }
}
