import CCmark

/// The structure of a lesson body found with cmark-gfm: H2 sections and `interp` code blocks.
///
/// Only core CommonMark parsing is used: GFM extensions (tables, strikethrough, …) cannot create
/// or hide headings or fenced code blocks, so they are not attached here and the extension
/// registry (a process-global, not thread-safe in this cmark-gfm version) is left alone.
enum MarkdownOutline {
    struct Result: Sendable, Hashable {
        var sections: [Lesson.Section] = []
        var runnableBlocks: [Lesson.RunnableBlock] = []
    }

    /// Parses `markdown` with core CommonMark and calls `body` with the document and an iterator
    /// over it (nil when cmark could not allocate them). Parsing and iterating do not recurse.
    static func walk<T>(_ markdown: String, _ body: (_ document: OpaquePointer, _ iterator: OpaquePointer) -> T) -> T? {
        let bytes = Array(markdown.utf8)
        let parsed: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    cmark_parse_document($0, buffer.count, CMARK_OPT_DEFAULT)
                }
            }
        }
        guard let document = parsed else { return nil }
        defer { cmark_node_free(document) }
        guard let iterator = cmark_iter_new(document) else { return nil }
        defer { cmark_iter_free(iterator) }
        return body(document, iterator)
    }

    /// Outlines `markdown`, whose first line is file line `firstLine`.
    static func outline(_ markdown: String, firstLine: Int) -> Result {
        walk(markdown) { _, iterator in outline(iterator, firstLine: firstLine) } ?? Result()
    }

    private static func outline(_ iterator: OpaquePointer, firstLine: Int) -> Result {
        var result = Result()
        let lineOffset = firstLine - 1
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            let line = Int(cmark_node_get_start_line(node)) + lineOffset
            if type == CMARK_NODE_HEADING, cmark_node_get_heading_level(node) == 2 {
                let title = plainText(of: node).trimmingWhitespace
                result.sections.append(.init(title: title, index: result.sections.count + 1, line: line))
            } else if type == CMARK_NODE_CODE_BLOCK, isRunnable(node) {
                let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                var commands: [Lesson.RunnableBlock.Command] = []
                for (offset, raw) in SourceText.lines(literal).enumerated() {
                    let text = raw.trimmingWhitespace
                    if text.isEmpty || text.hasPrefix("#") { continue }
                    commands.append(.init(text: text, line: line + 1 + offset))
                }
                result.runnableBlocks.append(.init(index: result.runnableBlocks.count + 1, line: line, commands: commands))
            }
        }
        return result
    }

    /// True for a fenced block whose info string's first word is `interp` (indented blocks have none).
    private static func isRunnable(_ node: OpaquePointer) -> Bool {
        guard let info = cmark_node_get_fence_info(node) else { return false }
        let firstWord = String(cString: info).split(whereSeparator: { $0 == " " || $0 == "\t" }).first
        return firstWord == "interp"
    }

    /// The text of an inline tree (heading content), with breaks as spaces and markup dropped.
    private static func plainText(of node: OpaquePointer) -> String {
        var text = ""
        var child = cmark_node_first_child(node)
        while let current = child {
            let type = cmark_node_get_type(current)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_HTML_INLINE {
                text += cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                text += " "
            } else {
                text += plainText(of: current)
            }
            child = cmark_node_next(current)
        }
        return text
    }
}
