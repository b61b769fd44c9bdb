import XCTest
@testable import TerminalUI

private let bold = "\u{1B}[1m", italic = "\u{1B}[3m", reset = "\u{1B}[0m"

final class DisplayWidthTests: XCTestCase {
    func testASCIIAndEmpty() {
        XCTAssertEqual(displayWidth(""), 0)
        XCTAssertEqual(displayWidth("hello, world"), 12)
    }

    func testEastAsianWideAndFullwidthCountTwo() {
        XCTAssertEqual(displayWidth("日本語"), 6)
        XCTAssertEqual(displayWidth("한국"), 4)
        XCTAssertEqual(displayWidth("Ａ"), 2, "fullwidth Latin A")
        XCTAssertEqual(displayWidth("ｱ"), 1, "halfwidth katakana stays narrow")
        XCTAssertEqual(displayWidth("a\u{3000}b"), 4, "ideographic space")
    }

    func testCombiningMarksAndJoinersCountZero() {
        XCTAssertEqual(displayWidth("cafe\u{301}"), 4)
        XCTAssertEqual(displayWidth("\u{301}"), 0, "a lone combining mark")
        XCTAssertEqual(displayWidth("a\u{200B}b"), 2, "zero-width space")
        XCTAssertEqual(displayWidth("a\u{200D}b"), 2, "zero-width joiner")
    }

    func testEmojiCountTwoPerGrapheme() {
        XCTAssertEqual(displayWidth("🗼"), 2)
        XCTAssertEqual(displayWidth("👨‍👩‍👧"), 2, "a ZWJ sequence is one grapheme")
        XCTAssertEqual(displayWidth("🇯🇵"), 2, "a flag")
        XCTAssertEqual(displayWidth("🏙️"), 2, "text-default emoji with VS16")
        XCTAssertEqual(displayWidth("©"), 1, "text-default symbol without VS16")
        XCTAssertEqual(displayWidth("1️⃣"), 2, "keycap")
    }

    func testEscapeSequencesCountZero() {
        XCTAssertEqual(displayWidth(bold + "bold" + reset), 4)
        XCTAssertEqual(displayWidth("\u{1B}[38;2;10;20;30mx\u{1B}[m"), 1)
        XCTAssertEqual(displayWidth("\u{1B}]8;;https://example.org\u{1B}\\link\u{1B}]8;;\u{1B}\\"), 4)
        XCTAssertEqual(displayWidth("\u{1B}]8;;https://example.org\u{07}link\u{1B}]8;;\u{07}"), 4, "BEL-terminated OSC")
        XCTAssertEqual(displayWidth(bold + "\u{301}x"), 1, "a combining mark right after an escape does not join the escape")
    }

    func testControlCharactersCountZero() {
        XCTAssertEqual(displayWidth("a\u{7}b\u{7F}"), 2)
    }

    func testStripANSI() {
        XCTAssertEqual(stripANSI(bold + "a" + reset + " \u{1B}]8;;u\u{1B}\\b\u{1B}]8;;\u{1B}\\"), "a b")
        XCTAssertEqual(stripANSI("plain"), "plain")
    }
}

final class WrapTests: XCTestCase {
    func testEmptyTextIsOneEmptyLine() {
        XCTAssertEqual(wrap("", width: 10), [""])
        XCTAssertEqual(wrap("   ", width: 10), [""])
    }

    func testFitsExactly() {
        XCTAssertEqual(wrap("abcde", width: 5), ["abcde"])
        XCTAssertEqual(wrap("ab de", width: 5), ["ab de"])
        XCTAssertEqual(wrap("abcde fghij", width: 5), ["abcde", "fghij"])
    }

    func testBreaksAtSpacesAndDropsThem() {
        XCTAssertEqual(wrap("the quick brown fox", width: 10), ["the quick", "brown fox"])
        XCTAssertEqual(wrap("a    b", width: 2), ["a", "b"])
        XCTAssertEqual(wrap("a  b", width: 10), ["a  b"], "inner runs of spaces are kept within a line")
    }

    func testLongWordIsSplit() {
        XCTAssertEqual(wrap("abcdefghij", width: 4), ["abcd", "efgh", "ij"])
        XCTAssertEqual(wrap("ab abcdefgh", width: 4), ["ab", "abcd", "efgh"], "a long word starts on a fresh line")
    }

    func testWideCharacterAtTheBoundaryMovesToTheNextLine() {
        XCTAssertEqual(wrap("abc日本", width: 4), ["abc", "日本"])
        XCTAssertEqual(wrap("a 日本", width: 4), ["a", "日本"])
        XCTAssertEqual(wrap("日本語", width: 5), ["日本", "語"])
    }

    func testCharacterWiderThanTheWidthStillAppears() {
        XCTAssertEqual(wrap("日", width: 1), ["日"])
    }

    func testCombiningMarksStayWithTheirBase() {
        let lines = wrap("cafe\u{301}s", width: 4)
        XCTAssertEqual(lines, ["cafe\u{301}", "s"])
    }

    func testNewlinesAreForcedBreaksAndLeadingSpacesAreKept() {
        XCTAssertEqual(wrap("a\nb", width: 10), ["a", "b"])
        XCTAssertEqual(wrap("a\n\nb", width: 10), ["a", "", "b"])
        XCTAssertEqual(wrap("  ab cd", width: 5), ["  ab", "cd"])
        XCTAssertEqual(wrap("ab\n  cd", width: 10), ["ab", "  cd"])
    }

    func testStyleIsClosedAtLineEndAndReopened() {
        XCTAssertEqual(wrap(bold + "hello world" + reset, width: 5),
                       [bold + "hello" + reset, bold + "world" + reset])
        XCTAssertEqual(wrap("x " + bold + italic + "ab cd" + reset + " y", width: 4),
                       ["x " + bold + italic + "ab" + reset, bold + italic + "cd" + reset + " y"])
    }

    func testStyleEndingBeforeTheBreakIsNotReopened() {
        XCTAssertEqual(wrap(bold + "ab" + reset + " cd", width: 3), [bold + "ab" + reset, "cd"])
    }

    func testStyleStartingAfterTheBreakStartsTheNextLine() {
        XCTAssertEqual(wrap("ab " + bold + "cd" + reset, width: 3), ["ab", bold + "cd" + reset])
    }

    func testSplitLongStyledWord() {
        XCTAssertEqual(wrap(bold + "abcdef" + reset, width: 3), [bold + "abc" + reset, bold + "def" + reset])
    }

    func testUnclosedStyleIsClosedAtTheEnd() {
        XCTAssertEqual(wrap(bold + "ab", width: 10), [bold + "ab" + reset])
    }

    func testHyperlinkIsClosedAndReopenedAcrossLines() {
        let open = "\u{1B}]8;;https://example.org\u{1B}\\"
        let close = "\u{1B}]8;;\u{1B}\\"
        XCTAssertEqual(wrap(open + "one two" + close + " three", width: 5),
                       [open + "one" + close, open + "two" + close, "three"])
    }

    func testEscapesAreNeverSplitAndLinesNeverTooWide() {
        var generator = SplitMix(seed: 7)
        let words = ["a", "tiny", "word", "日本語", "東京🗼", "café", "verylongwordwithoutspaces", "👨‍👩‍👧",
                     bold + "bold" + reset, bold + "two words" + reset, italic + "x", reset]
        for width in 2...30 {
            for _ in 0..<20 {
                let count = Int(generator.next() % 12) + 1
                let text = (0..<count).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ")
                let lines = wrap(text, width: width)
                for line in lines {
                    XCTAssertLessThanOrEqual(displayWidth(line), width, "\(text.debugDescription) at \(width)")
                    XCTAssertTrue(escapesAreComplete(line), line.debugDescription)
                }
                XCTAssertEqual(stripANSI(lines.joined()).filter { $0 != " " }, stripANSI(text).filter { $0 != " " },
                               "no visible text lost or reordered")
            }
        }
    }

    /// Every ESC in `line` starts a complete CSI or OSC sequence.
    private func escapesAreComplete(_ line: String) -> Bool {
        var rest = Substring(line)
        while let i = rest.firstIndex(of: "\u{1B}") {
            let after = rest[rest.index(after: i)...]
            if after.hasPrefix("[") {
                guard let end = after.firstIndex(where: { $0.isLetter }) else { return false }
                rest = after[after.index(after: end)...]
            } else if after.hasPrefix("]") {
                guard let end = after.range(of: "\u{1B}\\") else { return false }
                rest = after[end.upperBound...]
            } else {
                return false
            }
        }
        return true
    }
}

/// A small deterministic generator for property tests.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
