// Display width of terminal text and ANSI-aware word wrapping.
//
// Widths follow what current terminals draw: East Asian wide and fullwidth characters and emoji
// take 2 columns, combining marks, zero-width joiners, variation selectors and other format
// characters take 0, escape sequences (SGR styles, OSC 8 hyperlinks) take 0. Width is measured per
// grapheme cluster, so a ZWJ emoji sequence or a flag counts once.

/// The number of terminal columns `text` occupies. Escape sequences count 0.
public func displayWidth(_ text: String) -> Int {
    var width = 0
    ANSIText.forEachSegment(text) { segment, isEscape in
        if !isEscape { width += ANSIText.plainWidth(segment) }
    }
    return width
}

/// `text` without its escape sequences.
public func stripANSI(_ text: String) -> String {
    guard text.utf8.contains(0x1B) else { return text }
    var out = ""
    ANSIText.forEachSegment(text) { segment, isEscape in
        if !isEscape { out.unicodeScalars.append(contentsOf: segment) }
    }
    return out
}

/// Word-wraps `text` to lines of at most `width` columns.
///
/// Breaks at spaces (a run of spaces at a break is dropped), keeps a `\n` as a forced break, and
/// splits a word longer than `width` between grapheme clusters. Escape sequences are never split
/// and take no width. A style or hyperlink open at a break is closed at the end of the line and
/// reopened at the start of the next, so every line stands on its own. Leading spaces of the text
/// (and after each `\n`) are kept. A single character wider than `width` (a wide character with
/// `width` 1) is placed on a line of its own. Returns at least one line.
public func wrap(_ text: String, width: Int) -> [String] {
    var wrapper = LineWrapper(width: max(1, width))
    wrapper.run(text)
    return wrapper.finish()
}

/// The width of one grapheme cluster in terminal columns (0, 1 or 2).
func graphemeWidth(_ character: Character) -> Int {
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return 0 }
    if first.value < 0x7F, scalars.count == 1 { return first.value >= 0x20 ? 1 : 0 }
    var hasEmojiSelector = false
    for scalar in scalars {
        if scalar.value == 0xFE0F { hasEmojiSelector = true }
        if scalar.properties.isEmojiPresentation { return 2 }
    }
    if hasEmojiSelector, first.properties.isEmoji { return 2 }
    return scalarWidth(first)
}

/// The width of a scalar that starts a cluster, without emoji handling.
func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
    if v < 0x300 { return 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format, .control, .lineSeparator, .paragraphSeparator:
        return 0
    default:
        break
    }
    if v >= 0x1160, v <= 0x11FF { return 0 }  // Hangul medial vowels and final consonants
    return isWide(v) ? 2 : 1
}

/// Code point ranges that are East Asian Wide or Fullwidth (emoji are handled separately through
/// the Emoji_Presentation property). Sorted, non-overlapping; unassigned points inside the CJK
/// blocks are treated as wide, as terminals do.
private let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
    0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
    0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
    0x16FF0...0x16FF1, 0x17000...0x18CFF, 0x18D00...0x18D08, 0x1AFF0...0x1B2FF,
    0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
]

private func isWide(_ v: UInt32) -> Bool {
    guard v >= 0x1100 else { return false }
    var lo = 0, hi = wideRanges.count - 1
    while lo <= hi {
        let mid = (lo + hi) / 2
        let range = wideRanges[mid]
        if v < range.lowerBound { hi = mid - 1 } else if v > range.upperBound { lo = mid + 1 } else { return true }
    }
    return false
}

/// Splitting text into printable runs and escape sequences.
enum ANSIText {
    typealias Scalars = Substring.UnicodeScalarView

    /// Calls `body` with each maximal printable run and each escape sequence of `text`, in order.
    static func forEachSegment(_ text: String, _ body: (Scalars, _ isEscape: Bool) -> Void) {
        let scalars = Substring(text).unicodeScalars
        var runStart = scalars.startIndex
        var i = scalars.startIndex
        while i < scalars.endIndex {
            if scalars[i].value == 0x1B {
                if runStart < i { body(scalars[runStart..<i], false) }
                let end = escapeEnd(scalars, from: i)
                body(scalars[i..<end], true)
                i = end
                runStart = end
            } else {
                i = scalars.index(after: i)
            }
        }
        if runStart < scalars.endIndex { body(scalars[runStart...], false) }
    }

    /// The index just past the escape sequence that starts at `start` (an ESC).
    /// CSI: ESC [ parameters intermediates final; OSC: ESC ] … BEL or ESC \; otherwise ESC + one.
    static func escapeEnd(_ s: Scalars, from start: Scalars.Index) -> Scalars.Index {
        var i = s.index(after: start)
        guard i < s.endIndex else { return i }
        let kind = s[i].value
        i = s.index(after: i)
        switch kind {
        case 0x5B:  // CSI
            while i < s.endIndex {
                let v = s[i].value
                if v >= 0x40 && v <= 0x7E { return s.index(after: i) }
                if v < 0x20 || v > 0x7E { return i }  // malformed: end before the stray scalar
                i = s.index(after: i)
            }
            return i
        case 0x5D:  // OSC
            while i < s.endIndex {
                let v = s[i].value
                if v == 0x07 { return s.index(after: i) }
                if v == 0x1B {
                    let next = s.index(after: i)
                    if next < s.endIndex, s[next].value == 0x5C { return s.index(after: next) }
                    return i  // a new escape starts; end the unterminated OSC here
                }
                i = s.index(after: i)
            }
            return i
        default:
            return i
        }
    }

    /// Width of a run without escapes. ASCII runs are counted without grapheme breaking.
    static func plainWidth(_ run: Scalars) -> Int {
        var count = 0
        var ascii = true
        for scalar in run {
            let v = scalar.value
            if v >= 0x80 { ascii = false; break }
            if v >= 0x20 && v < 0x7F { count += 1 }
        }
        if ascii { return count }
        var width = 0
        for character in String(run) { width += graphemeWidth(character) }
        return width
    }
}

/// The state machine behind `wrap(_:width:)`.
private struct LineWrapper {
    enum Part {
        case text(Character, width: Int)
        case escape(String)
    }

    let width: Int
    var lines: [String] = []
    var line = ""
    var lineWidth = 0
    /// Whether the styles in force have been written on the current line (written lazily, at the
    /// first visible character, so a line never starts with codes it does not use).
    var lineOpened = false
    var pendingSpaces = 0
    var word: [Part] = []
    var wordWidth = 0
    /// SGR sequences in force since the last reset, and the open OSC 8 hyperlink, if any.
    var styles: [String] = []
    var link: String?

    init(width: Int) { self.width = width }

    mutating func run(_ text: String) {
        ANSIText.forEachSegment(text) { segment, isEscape in
            if isEscape {
                word.append(.escape(String(segment)))
                return
            }
            for character in String(segment) {
                switch character {
                case " ", "\t":
                    flushWord()
                    pendingSpaces += 1
                case "\n", "\r\n":
                    flushWord()
                    breakLine()
                default:
                    let w = graphemeWidth(character)
                    word.append(.text(character, width: w))
                    wordWidth += w
                }
            }
        }
    }

    mutating func finish() -> [String] {
        flushWord()
        closeLine()
        lines.append(line)
        return lines
    }

    private mutating func flushWord() {
        guard !word.isEmpty else { return }
        defer { word.removeAll(keepingCapacity: true); wordWidth = 0 }
        if wordWidth == 0 {  // only escape codes: apply them, leave the spaces pending
            emit(word, splitting: false)
        } else if lineWidth + pendingSpaces + wordWidth <= width {
            emitSpaces()
            emit(word, splitting: false)
        } else if wordWidth <= width {
            if lineWidth > 0 { breakLine() }
            pendingSpaces = 0
            emit(word, splitting: false)
        } else {
            if lineWidth > 0 { breakLine() }
            pendingSpaces = 0
            emit(word, splitting: true)
        }
    }

    private mutating func emitSpaces() {
        guard pendingSpaces > 0 else { return }
        open()
        line += String(repeating: " ", count: pendingSpaces)
        lineWidth += pendingSpaces
        pendingSpaces = 0
    }

    private mutating func emit(_ parts: [Part], splitting: Bool) {
        for part in parts {
            switch part {
            case .escape(let sequence):
                apply(sequence)
            case .text(let character, let w):
                if splitting, lineWidth > 0, lineWidth + w > width { breakLine() }
                open()
                line.append(character)
                lineWidth += w
            }
        }
    }

    /// Tracks SGR and OSC 8 state; writes the sequence now if the line is already styled.
    private mutating func apply(_ sequence: String) {
        if let params = ANSIText.sgrParameters(sequence) {
            if params.isEmpty || params.allSatisfy({ $0 == "0" }) {
                styles.removeAll()
            } else if params.hasPrefix("0;") {
                styles = [sequence]
            } else {
                styles.append(sequence)
            }
            if lineOpened { line += sequence }
        } else if let uri = ANSIText.hyperlinkTarget(sequence) {
            let wasOpen = link != nil
            link = uri.isEmpty ? nil : sequence
            if lineOpened, wasOpen || link != nil { line += sequence }
        } else {
            line += sequence  // unknown sequences pass through untouched
        }
    }

    private mutating func open() {
        guard !lineOpened else { return }
        lineOpened = true
        if let link { line += link }
        line += styles.joined()
    }

    private mutating func closeLine() {
        guard lineOpened else { return }
        if !styles.isEmpty { line += ANSIText.reset }
        if link != nil { line += ANSIText.hyperlinkClose }
    }

    private mutating func breakLine() {
        closeLine()
        lines.append(line)
        line = ""
        lineWidth = 0
        lineOpened = false
        pendingSpaces = 0
    }
}

extension ANSIText {
    static let reset = "\u{1B}[0m"
    static let hyperlinkClose = "\u{1B}]8;;\u{1B}\\"

    /// The parameters of an SGR sequence (`ESC [ params m`), or nil for any other sequence.
    static func sgrParameters(_ sequence: String) -> Substring? {
        guard sequence.hasPrefix("\u{1B}["), sequence.hasSuffix("m") else { return nil }
        let body = sequence.dropFirst(2).dropLast()
        guard body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ";" || $0 == ":") }) else { return nil }
        return body
    }

    /// The URI of an OSC 8 hyperlink sequence (empty for the closing one), or nil.
    static func hyperlinkTarget(_ sequence: String) -> Substring? {
        guard sequence.hasPrefix("\u{1B}]8;") else { return nil }
        var body = sequence.dropFirst(4)
        if body.hasSuffix("\u{1B}\\") { body = body.dropLast(2) } else if body.hasSuffix("\u{07}") { body = body.dropLast() }
        guard let semicolon = body.firstIndex(of: ";") else { return nil }
        return body[body.index(after: semicolon)...]
    }

    /// The OSC 8 sequence that opens a hyperlink to `url` (control characters removed).
    static func hyperlinkOpen(_ url: String) -> String {
        let clean = String(url.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F })
        return "\u{1B}]8;;" + clean + "\u{1B}\\"
    }
}
