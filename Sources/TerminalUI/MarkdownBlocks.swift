@preconcurrency import CCmark

/// State of one rendering: options, footnotes met so far, runnable blocks counted so far.
/// Block renderers return lines without newlines; containers indent or prefix their children's.
final class MarkdownRenderContext {
    let color: Bool
    let hyperlinks: Bool
    let numberRunnableBlocks: Bool
    var runnableCount = 0
    var listDepth = 0
    var footnoteDefinitions: [MarkdownNode] = []

    init(color: Bool, hyperlinks: Bool, numberRunnableBlocks: Bool) {
        self.color = color
        self.hyperlinks = hyperlinks
        self.numberRunnableBlocks = numberRunnableBlocks
    }

    func styled(_ text: String, _ style: Style) -> String { style.apply(text, enabled: color) }

    /// The block children of `parent`, separated by a blank line unless `tight`.
    func renderBlocks(_ parent: MarkdownNode, width: Int, tight: Bool = false) -> [String] {
        var lines: [String] = []
        for node in parent.children {
            if node.type == CMARK_NODE_FOOTNOTE_DEFINITION {
                footnoteDefinitions.append(node)
                continue
            }
            let block = renderBlock(node, width: width)
            guard !block.isEmpty else { continue }
            if !lines.isEmpty, !tight { lines.append("") }
            lines += block
        }
        return lines
    }

    func renderBlock(_ node: MarkdownNode, width: Int) -> [String] {
        switch node.type {
        case CMARK_NODE_PARAGRAPH:
            return wrap(inlineText(node), width: width)
        case CMARK_NODE_HEADING:
            return renderHeading(node, width: width)
        case CMARK_NODE_THEMATIC_BREAK:
            return [styled(String(repeating: MarkdownGlyphs.rule, count: width), MarkdownTheme.rule)]
        case CMARK_NODE_BLOCK_QUOTE:
            return renderQuote(node, width: width)
        case CMARK_NODE_LIST:
            return renderList(node, width: width)
        case CMARK_NODE_CODE_BLOCK:
            return renderCodeBlock(node, width: width)
        case CMARK_NODE_HTML_BLOCK:
            return codeLines(node.literal).map { styled($0, MarkdownTheme.html) }
        case CMARK_NODE_TABLE:
            return renderTable(node, width: width)
        default:
            return renderBlocks(node, width: width)
        }
    }

    /// H1 and (without colour) H2 get a rule under them; without colour H3 and deeper keep
    /// their `###` so the levels stay apart.
    private func renderHeading(_ node: MarkdownNode, width: Int) -> [String] {
        let level = node.headingLevel
        let style = MarkdownTheme.heading(level: level)
        var text = inlineText(node, base: style)
        if !color, level >= 3 { text = String(repeating: "#", count: level) + " " + text }
        var lines = wrap(text, width: width)
        let ruleGlyph: String? = level == 1 ? MarkdownGlyphs.heading1Rule
            : (level == 2 && !color ? MarkdownGlyphs.heading2Rule : nil)
        if let ruleGlyph {
            let ruleWidth = min(width, lines.map(displayWidth).max() ?? 0)
            lines.append(styled(String(repeating: ruleGlyph, count: max(1, ruleWidth)), style))
        }
        return lines
    }

    private func renderQuote(_ node: MarkdownNode, width: Int) -> [String] {
        let bar = styled(MarkdownGlyphs.quoteBar, MarkdownTheme.quoteBar)
        return renderBlocks(node, width: max(1, width - 2)).map { $0.isEmpty ? bar : bar + " " + $0 }
    }

    /// Items with hanging indents: continuation lines align under the item's text. Ordered
    /// numbers are right-aligned; bullets change with depth; task items show a box.
    private func renderList(_ node: MarkdownNode, width: Int) -> [String] {
        listDepth += 1
        defer { listDepth -= 1 }
        let items = node.children
        let tight = node.isTightList
        let ordered = node.isOrderedList
        let start = node.listStart
        let numberWidth = String(start + max(0, items.count - 1)).count
        let bullet = MarkdownGlyphs.bullets[(listDepth - 1) % MarkdownGlyphs.bullets.count]
        var lines: [String] = []
        for (k, item) in items.enumerated() {
            var marker = ""
            var plainMarker = ""
            if ordered {
                let number = String(start + k)
                plainMarker = String(repeating: " ", count: max(0, numberWidth - number.count))
                    + number + (node.listUsesParen ? ")" : ".")
                marker = styled(plainMarker, MarkdownTheme.listMarker)
            }
            if item.isTaskItem {
                let checked = item.isCheckedTask
                let box = MarkdownGlyphs.taskBox(checked: checked, color: color)
                plainMarker += (ordered ? " " : "") + box
                marker += (ordered ? " " : "") + styled(box, checked ? MarkdownTheme.checkedBox : .plain)
            } else if !ordered {
                plainMarker = bullet
                marker = styled(bullet, MarkdownTheme.listMarker)
            }
            let indent = displayWidth(plainMarker) + 1
            let body = renderBlocks(item, width: max(1, width - indent), tight: tight)
            if k > 0, !tight { lines.append("") }
            lines.append(body.first.map { $0.isEmpty ? marker : marker + " " + $0 } ?? marker)
            let pad = String(repeating: " ", count: indent)
            lines += body.dropFirst().map { $0.isEmpty ? "" : pad + $0 }
        }
        return lines
    }
}
