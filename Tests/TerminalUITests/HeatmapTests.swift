import Foundation
import XCTest
@testable import TerminalUI

/// Compares `output` with the reviewed golden `Fixtures/widgets/<name>`. `INTERP_UPDATE_GOLDENS=1`
/// rewrites the golden instead and fails, so a rewrite is never mistaken for a pass: review the file
/// by eye (`cat` it in a terminal for the colour ones) before running again.
func assertWidgetGolden(_ output: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/widgets").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["INTERP_UPDATE_GOLDENS"] == "1" {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        XCTAssertNoThrow(try output.write(to: url, atomically: true, encoding: .utf8), file: file, line: line)
        XCTFail("INTERP_UPDATE_GOLDENS=1: rewrote \(name); review it, then run again without it", file: file, line: line)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("\(url.path): missing golden; run with INTERP_UPDATE_GOLDENS=1 and review it", file: file, line: line)
        return
    }
    if output != expected {
        let got = output.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let index = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
        let gotLine = index < got.count ? String(got[index]) : "<end>"
        let wantLine = index < want.count ? String(want[index]) : "<end>"
        XCTFail("\(name) differs at line \(index + 1):\n  golden: \(wantLine.debugDescription)\n  output: \(gotLine.debugDescription)",
                file: file, line: line)
    }
}

/// Every line of `text` is at most `width` columns once escape codes are removed.
func assertFits(_ text: String, _ width: Int, _ context: String = "", file: StaticString = #filePath, line: UInt = #line) {
    for l in text.split(separator: "\n") where displayWidth(String(l)) > width {
        XCTFail("line wider than \(width) \(context): \(String(l).debugDescription)", file: file, line: line)
        return
    }
}

final class HeatmapTests: XCTestCase {
    /// A causal attention pattern over 9 word tokens (rows sum to 1).
    static let tokens = ["<bos>", "cat", "river", "seven", "elephant", "cat", "river", "seven", "\n"]
    static var attention: [[Double]] {
        (0..<tokens.count).map { q in
            let raw = (0..<tokens.count).map { k in k <= q ? Double((q * 7 + k * 13) % 17 + 1) : 0 }
            let sum = raw.reduce(0, +)
            return raw.map { $0 / sum }
        }
    }

    static var attentionMap: Heatmap {
        Heatmap(attention, rowLabels: tokens, columnLabels: tokens, title: "L1H2 attention", range: 0...1)
    }

    static var patching: Heatmap {
        Heatmap([[0.91, -0.25, 0.0, 0.003], [-1.5, 0.4, 0.75, -0.004]], rowLabels: ["layer 0", "layer 1"],
                columnLabels: ["<bos>", "When", "Mary", "and"], title: "resid_pre", palette: .diverging)
    }

    // MARK: - Goldens

    func testAttentionGoldensPlainAndColourAtTwoWidths() {
        for width in [40, 80] {
            assertWidgetGolden(Self.attentionMap.render(width: width, depth: .none), "heatmap-attention.w\(width).plain.txt")
            assertWidgetGolden(Self.attentionMap.render(width: width, depth: .truecolor),
                               "heatmap-attention.w\(width).truecolor.txt")
        }
        assertWidgetGolden(Self.attentionMap.render(width: 80, depth: .ansi256), "heatmap-attention.w80.ansi256.txt")
    }

    func testDivergingGoldens() {
        assertWidgetGolden(Self.patching.render(width: 60, depth: .none), "heatmap-patching.w60.plain.txt")
        assertWidgetGolden(Self.patching.render(width: 60, depth: .truecolor), "heatmap-patching.w60.truecolor.txt")
    }

    func testGridGoldens() {
        let panels = (0..<4).map { h in
            Heatmap(Self.attention.map { row in row.map { $0 * Double(h + 1) / 4 } },
                    rowLabels: Self.tokens, columnLabels: Self.tokens, title: "L0H\(h)", range: 0...1)
        }
        let grid = HeatmapGrid(panels: panels, title: "layer 0")
        assertWidgetGolden(grid.render(width: 80, depth: .truecolor), "heatmap-grid.w80.truecolor.txt")
        assertWidgetGolden(grid.render(width: 160, depth: .truecolor), "heatmap-grid.w160.truecolor.txt")
    }

    // MARK: - Behaviour

    func testPlainTableHasTwoDecimalsAlignedAndNoEscapes() {
        let text = Self.patching.render(width: 60, depth: .none)
        XCTAssertFalse(text.contains("\u{1B}"))
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "resid_pre")
        XCTAssertTrue(lines[2].hasPrefix("layer 0"))
        XCTAssertTrue(lines[2].contains("0.91") && lines[2].contains("-0.25") && lines[2].contains("0.00"))
        XCTAssertFalse(text.contains("-0.00"), "negative zero must print as 0.00")
        // Right-aligned: every row line has the same length.
        XCTAssertEqual(Set(lines[1...].map(displayWidth)).count, 1, "\(lines)")
    }

    func testNarrowPlainTableContinuesColumnsInBlocks() {
        let wide = Heatmap([Array(repeating: 0.5, count: 12)], rowLabels: ["r"], columnLabels: (0..<12).map { "c\($0)" })
        let text = wide.render(width: 30, depth: .none)
        assertFits(text, 30)
        XCTAssertTrue(text.contains("(columns 1–"), text)
        XCTAssertTrue(text.contains("of 12)"), text)
        XCTAssertEqual(text.components(separatedBy: "0.50").count - 1, 12, "every value appears once")
    }

    func testLongLabelsAreTruncatedWithEllipsis() {
        let map = Heatmap([[1.0, 2.0]], rowLabels: ["a-very-long-row-label-indeed"], columnLabels: ["x", "y"])
        let text = map.render(width: 40, depth: .none)
        XCTAssertTrue(text.contains("a-very-lo…"), text)  // 10 columns: max(4, min(16, 40 / 4))
        let colour = map.render(width: 40, depth: .truecolor)
        XCTAssertTrue(colour.contains("a-very-lo…"), colour)
    }

    func testColumnLabelsGoDownwardsWhenTooLongForACell() {
        let map = Heatmap([[0.1, 0.9]], rowLabels: ["q"], columnLabels: ["cat", "dog"], range: 0...1, cellWidth: 2)
        let lines = map.render(width: 40, depth: .truecolor).split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines[0..<3]), ["  c d", "  a o", "  t g"])
        let short = Heatmap([[0.1, 0.9]], rowLabels: ["q"], columnLabels: ["0", "1"], range: 0...1)
        XCTAssertEqual(short.render(width: 40, depth: .truecolor).split(separator: "\n")[0], "  0 1", "short labels go across")
    }

    func testColumnLabelHeightIsCapped() {
        let map = Heatmap([[0.5]], columnLabels: ["abcdefghijkl"], range: 0...1, maxColumnLabelHeight: 4)
        let lines = map.render(width: 20, depth: .truecolor).split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines[0..<4]), ["a", "b", "c", "…"])
    }

    func testCellsShrinkToOneColumnBeforeColumnsAreDropped() {
        let forty = Heatmap([Array(repeating: 0.5, count: 40)], rowLabels: ["r"], range: 0...1)
        let fits = forty.render(width: 50, depth: .truecolor)
        XCTAssertFalse(fits.contains("not shown"), fits)
        XCTAssertEqual(fits.components(separatedBy: "\u{1B}[48;2;").count - 1, 40 + 24, "40 one-column cells + legend")
        let hundred = Heatmap([Array(repeating: 0.5, count: 100)], rowLabels: ["r"], range: 0...1)
        let clipped = hundred.render(width: 50, depth: .truecolor)
        XCTAssertTrue(clipped.contains("(52 of 100 columns not shown: too narrow)"), clipped)
        assertFits(clipped, 50)
    }

    func testEveryRenderingFitsItsWidth() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<60 {
            let rows = Int.random(in: 0...12, using: &generator), columns = Int.random(in: 0...70, using: &generator)
            let values = (0..<rows).map { _ in (0..<columns).map { _ in Double.random(in: -3...3, using: &generator) } }
            let labels = (0..<max(rows, columns)).map { i in String(repeating: "tok", count: i % 6) + "\(i)" }
            let width = Int.random(in: 1...120, using: &generator)
            let map = Heatmap(values, rowLabels: labels, columnLabels: labels, title: "a title that is rather long",
                              palette: .diverging)
            for depth in ColorDepth.allCases {
                assertFits(map.render(width: width, depth: depth), width, "rows \(rows) cols \(columns) \(depth)")
            }
            let grid = HeatmapGrid(panels: [map, map, map], title: "grid")
            assertFits(grid.render(width: width, depth: .truecolor), width, "grid width \(width)")
        }
    }

    func testBadInputDoesNotCrash() {
        let ragged = Heatmap([[1.0, .nan], [.infinity], []], rowLabels: ["a"], columnLabels: ["x", "y", "z"])
        let colour = ragged.render(width: 30, depth: .ansi256)
        XCTAssertTrue(colour.contains("·"), "missing and NaN cells are drawn empty")
        let plain = ragged.render(width: 30, depth: .none)
        XCTAssertTrue(plain.contains("nan") && plain.contains("inf"), plain)
        XCTAssertEqual(Heatmap([[Double]]()).render(width: 30, depth: .none), "(empty)\n")
        XCTAssertEqual(HeatmapGrid(panels: []).render(width: 30, depth: .truecolor), "(nothing to show)\n")
        XCTAssertFalse(Heatmap([[1.0]]).render(width: 0, depth: .truecolor).isEmpty)
    }

    func testControlCharactersInLabelsAreMadeVisible() {
        let map = Heatmap([[1.0]], rowLabels: ["a\nb\tc\u{1B}"], columnLabels: ["x"])
        let text = map.render(width: 40, depth: .none)
        XCTAssertTrue(text.contains("a↵b⇥c␛"), text)
        XCTAssertEqual(text.split(separator: "\n").count, 2, "header and one row")
    }

    // MARK: - Colours

    func testColorDepthDetection() {
        XCTAssertEqual(ColorDepth.detect(colorEnabled: false, environment: ["COLORTERM": "truecolor"]), ColorDepth.none)
        XCTAssertEqual(ColorDepth.detect(colorEnabled: true, environment: ["COLORTERM": "truecolor"]), .truecolor)
        XCTAssertEqual(ColorDepth.detect(colorEnabled: true, environment: ["COLORTERM": "24bit"]), .truecolor)
        XCTAssertEqual(ColorDepth.detect(colorEnabled: true, environment: [:]), .ansi256)
    }

    func testXterm256Mapping() {
        XCTAssertEqual(RGB(r: 0, g: 0, b: 0).xterm256, 16)
        XCTAssertEqual(RGB(r: 255, g: 255, b: 255).xterm256, 231)
        XCTAssertEqual(RGB(r: 255, g: 0, b: 0).xterm256, 196)
        XCTAssertEqual(RGB(r: 128, g: 128, b: 128).xterm256, 244, "an exact grey of the ramp")
        XCTAssertEqual(RGB(r: 0, g: 95, b: 135).xterm256, 16 + 0 + 6 * 1 + 2)
    }

    func testPalettes() {
        XCTAssertEqual(HeatmapPalette.diverging.color(at: 0.5), RGB(r: 247, g: 247, b: 247), "white at zero")
        XCTAssertEqual(HeatmapPalette.diverging.color(at: 0), RGB(r: 33, g: 102, b: 172))
        XCTAssertEqual(HeatmapPalette.diverging.color(at: 1), RGB(r: 178, g: 24, b: 43))
        XCTAssertEqual(HeatmapPalette.sequential.color(at: -5), HeatmapPalette.sequential.color(at: 0), "clamped")
        XCTAssertEqual(HeatmapPalette.sequential.color(at: 1), RGB(r: 253, g: 231, b: 37))
        XCTAssertEqual(HeatmapPalette.diverging.defaultRange([-1, 3, .nan]), -3...3)
        XCTAssertEqual(HeatmapPalette.sequential.defaultRange([0.2, 0.7]), 0.2...0.7)
        XCTAssertEqual(HeatmapPalette.sequential.defaultRange([2, 2]), 1.5...2.5)
        XCTAssertEqual(HeatmapPalette.diverging.defaultRange([0, 0]), -1...1)
    }

    func testSharedScaleAcrossGridPanels() {
        let low = Heatmap([[0.0, 1.0]], title: "a"), high = Heatmap([[0.0, 4.0]], title: "b")
        let text = HeatmapGrid(panels: [low, high]).render(width: 80, depth: .truecolor)
        XCTAssertTrue(text.contains("0.00") && text.contains("4.00"), "one legend spanning both panels")
        // The value 1 of panel a is a quarter of the way up the shared scale, not the top colour.
        let quarter = HeatmapPalette.sequential.color(at: 0.25)
        XCTAssertTrue(text.contains("\u{1B}[48;2;\(quarter.r);\(quarter.g);\(quarter.b)m"), text)
    }
}
