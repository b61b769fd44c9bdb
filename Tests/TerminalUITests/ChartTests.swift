import XCTest
@testable import TerminalUI

final class ChartTests: XCTestCase {
    /// A loss curve logged every 10 steps: exponential decay to 0.5.
    static let loss = ChartSeries(name: "loss", values: (0..<300).map { 4 * exp(-Double($0) / 60) + 0.5 },
                                  xs: (0..<300).map { Double($0 * 10) })
    /// A phase change: flat near 3.2, then a drop to 0.8 around step 1500.
    static let repeated = ChartSeries(name: "repeated half", values: (0..<300).map { $0 < 150 ? 3.2 : 0.8 },
                                      xs: (0..<300).map { Double($0 * 10) })

    // MARK: - Line chart

    func testLineChartGoldens() {
        let single = LineChart(series: [Self.loss], title: "training loss", height: 8, xLabel: "step")
        assertWidgetGolden(single.render(width: 60, color: false), "chart-loss.w60.plain.txt")
        assertWidgetGolden(single.render(width: 60, color: true), "chart-loss.w60.color.txt")
        let two = LineChart(series: [Self.loss, Self.repeated], height: 8, xLabel: "step")
        assertWidgetGolden(two.render(width: 60, color: false), "chart-two-series.w60.plain.txt")
        assertWidgetGolden(two.render(width: 60, color: true), "chart-two-series.w60.color.txt")
    }

    func testLineChartLayout() {
        let text = LineChart(series: [Self.loss], height: 6, xLabel: "step").render(width: 50, color: false)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 6 + 3, "plot rows, axis, x labels, legend")
        XCTAssertTrue(lines[0].hasPrefix("4.50 ┤"), lines[0])   // top tick: the maximum
        XCTAssertTrue(lines[2].hasPrefix("2.91 ┤"), lines[2])   // middle tick: 4.5 - 3.973 × 2/5
        XCTAssertTrue(lines[5].hasPrefix("0.53 ┤"), lines[5])   // bottom tick: the minimum, 0.527
        XCTAssertTrue(lines[1].hasPrefix("     │"), lines[1])
        XCTAssertTrue(lines[6].hasPrefix("     └───"), lines[6])
        XCTAssertTrue(lines[7].hasPrefix(" step 0 "), lines[7])
        XCTAssertTrue(lines[7].contains(" 1495 "), lines[7])
        XCTAssertTrue(lines[7].hasSuffix(" 2990"), lines[7])
        XCTAssertEqual(displayWidth(lines[7]), 50, "the last x label ends under the end of the axis")
        XCTAssertFalse(text.contains("\u{1B}"))
        assertFits(text, 50)
        // The curve starts at the top left and ends at the bottom right.
        XCTAssertNotEqual(lines[0].dropFirst(6).first, " ")
        XCTAssertNotEqual(lines[5].last, " ")
    }

    func testTwoSeriesWithoutColourUseDistinctMarkers() {
        let text = LineChart(series: [Self.loss, Self.repeated], height: 6).render(width: 50, color: false)
        XCTAssertTrue(text.contains("*") && text.contains("+"), text)
        XCTAssertTrue(text.contains("* loss   + repeated half"), text)
        XCTAssertFalse(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "no braille in ASCII mode")
    }

    func testLineChartEdgeCases() {
        XCTAssertEqual(LineChart(series: []).render(width: 40, color: false), "(no data to plot)\n")
        let bad = ChartSeries(name: "", values: [Double.nan, .infinity])
        XCTAssertEqual(LineChart(series: [bad]).render(width: 40, color: false), "(no data to plot)\n")
        let flat = LineChart(series: [ChartSeries(name: "", values: [2.0, 2.0, 2.0])], height: 3)
        let text = flat.render(width: 30, color: false)
        XCTAssertTrue(text.hasPrefix("3 ┤"), "a constant series gets a unit range around it:\n\(text)")
        let counts = LineChart(series: [ChartSeries(name: "", values: [0.0, 6.0, 2.0])], height: 6).render(width: 30, color: false)
        XCTAssertFalse(counts.contains("."), "whole-number series get whole-number tick labels:\n\(counts)")
        XCTAssertEqual(LineChart(series: [Self.loss]).render(width: 5, color: false), "(too…\n")
        for width in [0, 1, 8, 13, 200] {
            assertFits(LineChart(series: [Self.loss, Self.repeated]).render(width: width, color: true), max(width, 1))
        }
    }

    func testSegmentJoinsDotsWithoutGaps() {
        let dots = LineChart.segment(from: (0, 0), to: (5, 2))
        XCTAssertEqual(dots.first?.0, 0)
        XCTAssertEqual(dots.last.map { [$0.0, $0.1] }, [5, 2])
        for (a, b) in zip(dots, dots.dropFirst()) {
            XCTAssertLessThanOrEqual(abs(a.0 - b.0), 1)
            XCTAssertLessThanOrEqual(abs(a.1 - b.1), 1)
        }
        XCTAssertEqual(LineChart.segment(from: (3, 3), to: (3, 3)).count, 1)
    }

    func testBinningAveragesPointsPerColumn() {
        let bins = LineChart.bin([(0, 1), (0.1, 3), (10, 5)], columns: 3, x: 0...10)
        XCTAssertEqual(bins, [2, nil, 5])
    }

    // MARK: - Sparkline

    func testSparkline() {
        XCTAssertEqual(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8] as [Double]), "▁▂▃▄▅▆▇█")
        XCTAssertEqual(Sparkline.render([5, 5, 5] as [Double]), "▄▄▄")
        XCTAssertEqual(Sparkline.render([0, .nan, 1] as [Double]), "▁ █")
        XCTAssertEqual(Sparkline.render([0, 0, 10, 10] as [Double], width: 2), "▁█")
        XCTAssertEqual(Sparkline.render([Float]()), "")
        XCTAssertEqual(Sparkline.render([1, 2] as [Double], width: 0), "")
        XCTAssertEqual(Sparkline.render([1, 2] as [Double], width: 10).count, 2, "never wider than the data")
    }

    // MARK: - Bar chart

    static let accuracy = BarChart(bars: [.init("00-welcome", 1, valueText: "100%"),
                                          .init("01-residual-stream", 0.75, valueText: "75%"),
                                          .init("02-induction-heads", 0.4, valueText: "40%"),
                                          .init("03-ioi", 0, valueText: "—")],
                                   title: "quiz accuracy", maxValue: 1)

    func testBarChartGoldens() {
        assertWidgetGolden(Self.accuracy.render(width: 60, color: false), "bars-accuracy.w60.plain.txt")
        assertWidgetGolden(Self.accuracy.render(width: 60, color: true), "bars-accuracy.w60.color.txt")
        let dla = BarChart(bars: [.init("embed", 0.8), .init("L0H1", -1.6), .init("L1H3", 3.2), .init("L1H0", 0.35)])
        assertWidgetGolden(dla.render(width: 50, color: false), "bars-signed.w50.plain.txt")
    }

    func testBarLengthsAreProportional() {
        let chart = BarChart(bars: [.init("a", 10), .init("b", 5), .init("c", 0)])
        let lines = chart.render(width: 25, color: false).split(separator: "\n").map(String.init)
        // 25 columns: label 1, space, 20 of bar, space, value 2 (right-aligned); trailing spaces trimmed.
        XCTAssertEqual(lines[0], "a " + String(repeating: "█", count: 20) + " 10")
        XCTAssertEqual(lines[1], "b " + String(repeating: "█", count: 10) + String(repeating: " ", count: 12) + "5")
        XCTAssertEqual(lines[2], "c" + String(repeating: " ", count: 23) + "0")
    }

    func testBarChartEdgeCases() {
        XCTAssertEqual(BarChart(bars: []).render(width: 30, color: false), "(no data)\n")
        let odd = BarChart(bars: [.init("nan", .nan), .init("inf", .infinity), .init("neg", -2)])
        for width in [0, 3, 10, 40] { assertFits(odd.render(width: width, color: false), max(width, 1)) }
        XCTAssertTrue(odd.render(width: 40, color: false).contains("nan"))
    }
}
