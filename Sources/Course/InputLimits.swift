import CCmark
import CYaml  // libyaml, as Yams bundles it

/// Limits on files interp reads but does not control (course files, token files), checked before
/// any parser recurses: Yams composes nodes recursively and the Markdown renderer walks its tree
/// recursively, so a few kilobytes of `[[[[…` or `>>>>…` would otherwise overflow the stack. Each
/// scanner here keeps its own counter or stack and reads input of any depth.
public enum InputLimits {
    /// The deepest nesting accepted: far beyond what a course file needs (about 6), far below
    /// what overflows a stack.
    public static let maximumDepth = 64
    /// The largest course or token file read (16 MiB).
    public static let maximumFileBytes = 16 << 20

    /// The message of a file that nests too deeply, after `path:line: `.
    public static var depthMessage: String { "nesting deeper than \(maximumDepth)" }
    /// The message of a file that is too large, after `path:1: `.
    public static var sizeMessage: String { "larger than \(maximumFileBytes >> 20) MiB" }

    /// The 1-based line where YAML `text` first nests deeper than `maximumDepth` (flow and block
    /// collections alike), or nil. Nil too for text libyaml cannot parse: Yams then reports it.
    public static func yamlExcess(_ text: String) -> Int? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var depth = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    depth += 1
                    if depth > maximumDepth { return Int(event.start_mark.line) + 1 }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                case YAML_STREAM_END_EVENT:
                    return nil
                default:
                    break
                }
            }
        }
    }

    /// The 1-based line where JSON `bytes` first nest deeper than `maximumDepth` arrays and
    /// objects, or nil. Brackets inside strings do not count; syntax is left to the JSON parser.
    public static func jsonExcess<Bytes: Sequence>(_ bytes: Bytes) -> Int? where Bytes.Element == UInt8 {
        var depth = 0, line = 1
        var inString = false, escaped = false
        for byte in bytes {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumDepth { return line }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return nil
    }

    /// The 1-based line of the first Markdown node nested deeper than `maximumDepth` (block
    /// quotes, lists, emphasis, links… counted from the document), or nil. cmark-gfm parses and
    /// iterates without recursion.
    public static func markdownExcess(_ markdown: String) -> Int? {
        MarkdownOutline.walk(markdown) { document, iterator -> Int? in
            // A node's depth is its parent's plus one; the document is 0.
            var depths: [OpaquePointer: Int] = [document: 0]
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator),
                      let parent = cmark_node_parent(node) else { continue }
                let depth = (depths[parent] ?? 0) + 1
                depths[node] = depth
                if depth > maximumDepth { return line(of: node) }
            }
            return nil
        } ?? nil
    }

    /// The start line of `node`, or of its nearest ancestor that has one (inline nodes may not).
    private static func line(of node: OpaquePointer) -> Int {
        var current: OpaquePointer? = node
        while let n = current {
            let line = Int(cmark_node_get_start_line(n))
            if line > 0 { return line }
            current = cmark_node_parent(n)
        }
        return 1
    }
}
