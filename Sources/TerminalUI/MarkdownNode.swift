@preconcurrency import CCmark

/// A parsed cmark-gfm document. Owns the node tree and frees it on deinit.
final class MarkdownDocument {
    /// The GFM extensions every document is parsed with.
    static let extensionNames = ["table", "strikethrough", "autolink", "tasklist"]

    /// Registers the core extensions with cmark-gfm, once per process.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    private let root: MarkdownNode?
    private let pointer: OpaquePointer?

    init(_ markdown: String) {
        _ = Self.registered
        guard let parser = cmark_parser_new(CMARK_OPT_FOOTNOTES) else {
            pointer = nil
            root = nil
            return
        }
        defer { cmark_parser_free(parser) }
        for name in Self.extensionNames {
            if let syntax = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntax)
            }
        }
        markdown.utf8CString.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { cmark_parser_feed(parser, base, buffer.count - 1) }
        }
        let document = cmark_parser_finish(parser)
        if let document, Self.depth(of: document, exceeds: MarkdownRenderer.maximumDepth) {
            // Rendering recurses once per level: a document this deep is shown as plain text.
            cmark_node_free(document)
            pointer = nil
        } else {
            pointer = document
        }
        root = pointer.map(MarkdownNode.init)
    }

    /// Whether any node of the tree lies deeper than `limit` below `document`. Iterative.
    private static func depth(of document: OpaquePointer, exceeds limit: Int) -> Bool {
        guard let iterator = cmark_iter_new(document) else { return true }
        defer { cmark_iter_free(iterator) }
        var depths: [OpaquePointer: Int] = [document: 0]
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator),
                  let parent = cmark_node_parent(node) else { continue }
            let depth = (depths[parent] ?? 0) + 1
            if depth > limit { return true }
            depths[node] = depth
        }
        return false
    }

    /// Calls `body` with the document node, keeping the tree alive meanwhile (nodes are borrowed
    /// pointers into it). Nil when cmark could not allocate a parser, or when the document nests
    /// deeper than `MarkdownRenderer.maximumDepth`.
    func withRoot<T>(_ body: (MarkdownNode) throws -> T) rethrows -> T? {
        guard let root else { return nil }
        return try withExtendedLifetime(self) { try body(root) }
    }

    deinit {
        if let pointer { cmark_node_free(pointer) }
    }
}

/// A borrowed view of one cmark node; valid while its `MarkdownDocument` lives.
struct MarkdownNode {
    let pointer: OpaquePointer

    var type: cmark_node_type { cmark_node_get_type(pointer) }

    /// The extension-aware type name: "tasklist" for task items, "table_header" for header rows.
    var typeName: String {
        guard let name = cmark_node_get_type_string(pointer) else { return "" }
        return String(cString: name)
    }

    var literal: String {
        guard let text = cmark_node_get_literal(pointer) else { return "" }
        return String(cString: text)
    }

    var url: String {
        guard let text = cmark_node_get_url(pointer) else { return "" }
        return String(cString: text)
    }

    var fenceInfo: String {
        guard let text = cmark_node_get_fence_info(pointer) else { return "" }
        return String(cString: text)
    }

    var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }
    var isOrderedList: Bool { cmark_node_get_list_type(pointer) == CMARK_ORDERED_LIST }
    var listStart: Int { Int(cmark_node_get_list_start(pointer)) }
    var listUsesParen: Bool { cmark_node_get_list_delim(pointer) == CMARK_PAREN_DELIM }
    var isTightList: Bool { cmark_node_get_list_tight(pointer) != 0 }
    var isTaskItem: Bool { typeName == "tasklist" }
    var isCheckedTask: Bool { cmark_gfm_extensions_get_tasklist_item_checked(pointer) }
    var isTableHeaderRow: Bool { cmark_gfm_extensions_get_table_row_is_header(pointer) != 0 }

    /// Column alignments of a table node: "l", "c", "r" or nil per column.
    var tableAlignments: [TextTable.Alignment] {
        let count = Int(cmark_gfm_extensions_get_table_columns(pointer))
        guard count > 0, let raw = cmark_gfm_extensions_get_table_alignments(pointer) else { return [] }
        return (0..<count).map { c in
            switch raw[c] {
            case UInt8(ascii: "c"): return .center
            case UInt8(ascii: "r"): return .right
            default: return .left
            }
        }
    }

    var children: [MarkdownNode] {
        var out: [MarkdownNode] = []
        var child = cmark_node_first_child(pointer)
        while let node = child {
            out.append(MarkdownNode(pointer: node))
            child = cmark_node_next(node)
        }
        return out
    }

    /// The node's text without any styling: what a link or image's alt text says.
    var plainText: String {
        var out = ""
        appendPlainText(to: &out)
        return out
    }

    private func appendPlainText(to out: inout String) {
        switch type {
        case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE:
            out += literal
        case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
            out += " "
        default:
            for child in children { child.appendPlainText(to: &out) }
        }
    }
}
