import Foundation
import XCTest
@testable import TerminalUI

/// Renders Fixtures/markdown/all-constructs.md at widths 60 and 100, colour off and on, and
/// compares with the reviewed goldens next to it. `INTERP_UPDATE_GOLDENS=1 swift test` rewrites
/// the goldens (and fails, so that a rewrite is never mistaken for a pass): review them by eye
/// before committing (for the colour ones, `cat` them in a terminal).
final class MarkdownGoldenTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/markdown")

    private func fixture() throws -> String {
        try String(contentsOf: Self.fixtures.appendingPathComponent("all-constructs.md"), encoding: .utf8)
    }

    /// Goldens are rendered with every option a TTY would have: hyperlinks and `[run N]` labels
    /// (hyperlinks have no effect without colour).
    private func render(_ markdown: String, width: Int, color: Bool) -> String {
        MarkdownRenderer(width: width, color: color, hyperlinks: true, numberRunnableBlocks: true).render(markdown)
    }

    func testGoldens() throws {
        let markdown = try fixture()
        let update = ProcessInfo.processInfo.environment["INTERP_UPDATE_GOLDENS"] == "1"
        var rewritten: [String] = []
        for width in [60, 100] {
            for color in [false, true] {
                let name = "all-constructs.w\(width).\(color ? "color" : "plain").txt"
                let url = Self.fixtures.appendingPathComponent(name)
                let output = render(markdown, width: width, color: color)
                if update {
                    try output.write(to: url, atomically: true, encoding: .utf8)
                    rewritten.append(name)
                    continue
                }
                guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
                    XCTFail("\(url.path): missing golden; run with INTERP_UPDATE_GOLDENS=1 and review it")
                    continue
                }
                if output != expected {
                    XCTFail("\(name) differs from the rendering:\n" + firstDifference(expected, output))
                }
            }
        }
        if update {
            XCTFail("INTERP_UPDATE_GOLDENS=1: rewrote \(rewritten.joined(separator: ", ")); review them, then run again without it")
        }
    }

    func testPlainRenderingHasNoEscapeCodes() throws {
        let markdown = try fixture()
        for width in [60, 100] {
            XCTAssertFalse(render(markdown, width: width, color: false).contains("\u{1B}"))
        }
    }

    /// Only code lines may exceed the width; everything else wraps (ANSI-aware with colour).
    func testNoLineOutsideCodeBlocksIsWiderThanTheWidth() throws {
        let markdown = try fixture()
        let code = Set(codeBlockLines(markdown).map(trimmed))
        var sawLongCodeLine = false
        for width in [60, 100] {
            for color in [false, true] {
                for line in render(markdown, width: width, color: color).split(separator: "\n").map(String.init) {
                    guard displayWidth(line) > width else { continue }
                    let isCode = code.contains(trimmed(stripANSI(line)))
                    XCTAssertTrue(isCode, "wider than \(width) (colour \(color)): \(line)")
                    sawLongCodeLine = sawLongCodeLine || isCode
                }
            }
        }
        XCTAssertTrue(sawLongCodeLine, "the fixture has a code line longer than the width; it must stay unwrapped")
    }

    func testTableLinesShareOneWidth() throws {
        let markdown = try fixture()
        for width in [60, 100] {
            for color in [false, true] {
                let lines = render(markdown, width: width, color: color).split(separator: "\n").map(String.init)
                guard let top = lines.firstIndex(where: { stripANSI($0).hasPrefix("┌") }),
                      let bottom = lines.firstIndex(where: { stripANSI($0).hasPrefix("└") }) else {
                    XCTFail("no table in the rendering at \(width)")
                    continue
                }
                let widths = Set(lines[top...bottom].map(displayWidth))
                XCTAssertEqual(widths.count, 1, "table line widths \(widths) at \(width), colour \(color)")
                XCTAssertLessThanOrEqual(widths.first ?? 0, width)
                XCTAssertGreaterThan(bottom - top, 8, "the long cell wraps onto several lines")
            }
        }
    }

    /// With colour every line closes what it opens, so paging or cutting lines never bleeds style.
    func testEveryColourLineClosesItsStylesAndLinks() throws {
        let markdown = try fixture()
        for width in [60, 100] {
            for line in render(markdown, width: width, color: true).split(separator: "\n") {
                let line = String(line)
                if let lastCSI = line.ranges(of: "\u{1B}[").last {
                    XCTAssertTrue(line[lastCSI.lowerBound...].hasPrefix("\u{1B}[0m"), "style left open: \(line.debugDescription)")
                }
                let opens = line.components(separatedBy: "\u{1B}]8;;").count - 1
                let closes = line.components(separatedBy: "\u{1B}]8;;\u{1B}\\").count - 1
                XCTAssertEqual(opens, 2 * closes, "hyperlink left open: \(line.debugDescription)")
            }
        }
    }

    func testColourRenderingUsesHyperlinksAndRunLabels() throws {
        let output = render(try fixture(), width: 100, color: true)
        XCTAssertTrue(output.contains("\u{1B}]8;;https://arena.education\u{1B}\\"))
        XCTAssertTrue(output.contains("[run 1]"))
        let plain = render(try fixture(), width: 100, color: false)
        XCTAssertTrue(plain.contains("the TransformerLens docs (https://transformerlensorg.github.io/TransformerLens/)"))
        XCTAssertEqual(plain.ranges(of: "https://arena.education").count, 1, "an autolink prints its url once")
        XCTAssertEqual(plain.ranges(of: "www.example.org").count, 1)
    }

    /// The lines inside fenced and indented code blocks of `markdown` (a simple scan, enough
    /// for the fixture).
    private func codeBlockLines(_ markdown: String) -> [String] {
        var lines: [String] = []
        var inFence = false
        var inIndented = false
        var previousBlank = true
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") { inFence.toggle(); continue }
            inIndented = line.hasPrefix("    ") && (inIndented || previousBlank)
            if inFence || inIndented { lines.append(line) }
            previousBlank = line.trimmingCharacters(in: .whitespaces).isEmpty
        }
        return lines
    }

    private func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces) }

    private func firstDifference(_ expected: String, _ actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<none>"
            let al = i < a.count ? String(a[i]) : "<none>"
            if el != al { return "line \(i + 1):\n  expected: \(el.debugDescription)\n  actual:   \(al.debugDescription)" }
        }
        return "(same lines; different line endings)"
    }
}
