/// Helpers for the text of course files: line-ending normalisation and line splitting.
enum SourceText {
    /// Drops a byte-order mark and turns CRLF and lone CR line endings into LF.
    static func normalise(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var iterator = text.unicodeScalars.makeIterator()
        var first = true
        var pendingCR = false
        while let scalar = iterator.next() {
            defer { first = false }
            if first && scalar == "\u{FEFF}" { continue }
            if pendingCR {
                pendingCR = false
                if scalar == "\n" { continue }
            }
            if scalar == "\r" {
                scalars.append("\n")
                pendingCR = true
                continue
            }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// The lines of normalised text; a final newline does not start an extra line.
    static func lines(_ text: String) -> [Substring] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Removes spaces and tabs at the end of a line.
    static func trimTrailing(_ line: Substring) -> Substring {
        var end = line.endIndex
        while end > line.startIndex {
            let previous = line.index(before: end)
            guard line[previous] == " " || line[previous] == "\t" else { break }
            end = previous
        }
        return line[line.startIndex..<end]
    }
}
