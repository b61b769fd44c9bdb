@preconcurrency import CCmark

/// Renders CommonMark + GitHub Flavored Markdown (tables, strikethrough, autolinks, task lists,
/// footnotes) as text for the terminal.
///
/// Paragraphs wrap to `width` display columns; code blocks never wrap. Without `color` the output
/// contains no escape codes at all; `hyperlinks` (OSC 8) only takes effect together with `color`.
public struct MarkdownRenderer: Sendable {
    /// Columns to wrap to. Values below `minimumWidth` are raised to it.
    public var width: Int
    /// Whether to style the output with ANSI escape codes (resolve it with `ColorMode.enabled`).
    public var color: Bool
    /// Links as OSC 8 hyperlinks (for a terminal) instead of `text (url)`.
    public var hyperlinks: Bool
    /// Label code blocks whose info string is `interp` with `[run N]`, N counting from 1 in
    /// document order, as `runnableBlocks(in:)` numbers them.
    public var numberRunnableBlocks: Bool

    /// The info string (first word) that marks a code block as runnable by `run N`.
    public static let runnableLanguage = "interp"
    public static let minimumWidth = 20
    /// The deepest nesting of blocks and inlines rendered as Markdown; a deeper document (50,000
    /// `>` in a row, say) is shown as its plain text instead, since rendering recurses per level.
    public static let maximumDepth = 64

    /// min(terminal columns, 100), or 80 when stdout is not a terminal.
    public static var defaultWidth: Int { min(Terminal.columns ?? 80, 100) }

    public init(width: Int? = nil, color: Bool = false, hyperlinks: Bool = false,
                numberRunnableBlocks: Bool = false) {
        self.width = width ?? Self.defaultWidth
        self.color = color
        self.hyperlinks = hyperlinks
        self.numberRunnableBlocks = numberRunnableBlocks
    }

    /// `markdown` rendered; every line ends with `\n`.
    public func render(_ markdown: String) -> String {
        renderDocument(markdown).text
    }

    /// `markdown` rendered, with the position of each top-level heading in the output.
    public func renderDocument(_ markdown: String) -> RenderedMarkdown {
        let rendered = MarkdownDocument(markdown).withRoot { root in renderTree(root) }
        // When cmark could not allocate a parser or the text nests too deeply: the text as it is,
        // made safe for the terminal.
        guard let rendered else {
            let text = TerminalText.block(markdown)
            return RenderedMarkdown(text: text.isEmpty || text.hasSuffix("\n") ? text : text + "\n", headings: [])
        }
        return rendered
    }

    private func renderTree(_ root: MarkdownNode) -> RenderedMarkdown {
        let context = MarkdownRenderContext(
            color: color, hyperlinks: hyperlinks && color, numberRunnableBlocks: numberRunnableBlocks)
        let width = max(self.width, Self.minimumWidth)
        var lines: [String] = []
        var headings: [RenderedMarkdown.Heading] = []
        for node in root.children {
            if node.type == CMARK_NODE_FOOTNOTE_DEFINITION {
                context.footnoteDefinitions.append(node)
                continue
            }
            let block = context.renderBlock(node, width: width)
            guard !block.isEmpty else { continue }
            if !lines.isEmpty { lines.append("") }
            if node.type == CMARK_NODE_HEADING {
                headings.append(.init(level: node.headingLevel, title: node.plainText, line: lines.count))
            }
            lines += block
        }
        let notes = context.renderFootnotes(width: width)
        if !notes.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines += notes
        }
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        return RenderedMarkdown(text: text, headings: headings)
    }

    /// The source of each code block whose info string starts with `interp`, in document order:
    /// element N-1 is the block labelled `[run N]`.
    public static func runnableBlocks(in markdown: String) -> [String] {
        var blocks: [String] = []
        func visit(_ node: MarkdownNode) {
            if node.type == CMARK_NODE_CODE_BLOCK, isRunnable(info: node.fenceInfo) {
                blocks.append(node.literal)
            }
            for child in node.children { visit(child) }
        }
        MarkdownDocument(markdown).withRoot(visit)
        return blocks
    }

    static func isRunnable(info: String) -> Bool {
        info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first == Substring(runnableLanguage)
    }
}

/// Rendered Markdown and where its top-level headings landed.
public struct RenderedMarkdown: Sendable, Equatable {
    public struct Heading: Sendable, Equatable {
        public var level: Int
        /// The heading's text without styling.
        public var title: String
        /// 0-based index of the heading's first line in `text`.
        public var line: Int
    }

    public var text: String
    public var headings: [Heading]
}
