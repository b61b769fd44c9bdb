import XCTest
@testable import TerminalUI

/// The one sanitizer: control characters become visible symbols, never reach the terminal.
final class TerminalTextTests: XCTestCase {
    func testEveryControlCharacterIsShownAsASymbol() {
        XCTAssertEqual(TerminalText.line("a\u{1B}[31mred\u{1B}]0;title\u{07}"), "a␛[31mred␛]0;title␇")
        XCTAssertEqual(TerminalText.line("a\nb\tc\rd\u{0}e\u{7F}f"), "a↵b⇥c␍d␀e␡f")
        XCTAssertEqual(TerminalText.line("c1 \u{9B}31m \u{85}"), "c1 �31m �")
        XCTAssertEqual(TerminalText.line("evil\u{202E}txt.exe \u{2066}x\u{2069}"), "evil�txt.exe �x�")
        for value in Array(0..<0x20) + Array(0x7F..<0xA0) {
            let scalar = Unicode.Scalar(UInt32(value))!
            let cleaned = TerminalText.line("x\(Character(scalar))y")
            XCTAssertFalse(cleaned.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }, "U+\(value)")
            XCTAssertEqual(cleaned.count, 3, "one visible symbol for U+\(value)")
        }
    }

    func testBlocksKeepTheirLinesAndPlainTextIsUntouched() {
        XCTAssertEqual(TerminalText.block("one\ntwo\tthree\r\n\u{1B}[2J"), "one\ntwo three␍\n␛[2J")
        let plain = "Induction heads — 頭 🙂 naïve [a](b) *x*"
        XCTAssertEqual(TerminalText.line(plain), plain)
        XCTAssertEqual(TerminalText.block(plain + "\n"), plain + "\n")
    }

    func testRenderersUseItForTheirLabelsAndText() {
        let map = Heatmap([[1.0]], rowLabels: ["a\u{1B}[31m"], columnLabels: ["x\u{9B}"])
        let picture = map.render(width: 40, depth: .none)
        XCTAssertTrue(picture.contains("a␛[31m"), picture)
        XCTAssertFalse(picture.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B }, picture)
        let markdown = MarkdownRenderer(width: 60, color: false).render("Title \u{1B}]0;pwned\u{07} `code\u{1B}[2J`\n\n```\u{1B}[31m\nx\u{1B}[1A\n```\n")
        XCTAssertFalse(markdown.contains("\u{1B}"), markdown)
        XCTAssertTrue(markdown.contains("␛]0;pwned␇"), markdown)
        XCTAssertTrue(markdown.contains("x␛[1A"), markdown)
        let bar = ProgressBar.render(current: 1, total: 2, label: "step\u{1B}[K", elapsed: 1, width: 60, color: false)
        XCTAssertTrue(bar.contains("step␛[K"), bar)
    }
}
