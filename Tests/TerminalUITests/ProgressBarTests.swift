import XCTest
@testable import TerminalUI

final class ProgressBarTests: XCTestCase {
    // MARK: - Rendering one line

    func testRenderFillsTheWidthExactly() {
        let line = ProgressBar.render(current: 30, total: 120, label: "train", fields: [("loss", "2.314")],
                                      elapsed: 10, width: 80)
        // Text around the bar takes 12 + 2 + 2 + 42 columns, leaving 22 for the bar; 25% of 22 cells
        // is 5.5 cells: five full blocks and a half block. 3 steps/s; 90 steps left → 30 s.
        XCTAssertEqual(line, "train 30/120 [█████▌                ]  25% · loss 2.314 · 3.00 steps/s · ETA 30s")
        XCTAssertEqual(displayWidth(line), 80)
    }

    func testBarIsAtMostFortyCellsAndFinishedWorkShowsElapsedTime() {
        let line = ProgressBar.render(current: 6000, total: 6000, label: "train", elapsed: 75, width: 120)
        XCTAssertEqual(line, "train 6000/6000 [" + String(repeating: "█", count: 40) + "] 100% · 80.0 steps/s · 1:15")
    }

    func testUnknownTotalHasNoBarPercentOrETA() {
        let line = ProgressBar.render(current: 42, total: 0, label: "sweep", elapsed: 4, unit: "pairs", width: 80)
        XCTAssertEqual(line, "sweep 42 · 10.5 pairs/s · 4s")
    }

    func testBarIsDroppedThenTextCutWhenNarrow() {
        let narrow = ProgressBar.render(current: 5, total: 10, label: "train", fields: [("loss", "1.5")],
                                        elapsed: 1, width: 50)
        XCTAssertFalse(narrow.contains("["), "no room for an 8-cell bar: \(narrow)")
        XCTAssertEqual(narrow, "train 5/10  50% · loss 1.5 · 5.00 steps/s · ETA 1s")
        for width in [-3, 0, 1, 2, 7, 20] {
            let line = ProgressBar.render(current: 5, total: 10, label: "train", fields: [("loss", "1.5")],
                                          elapsed: 1, width: width)
            XCTAssertLessThanOrEqual(displayWidth(line), max(0, width), line)
        }
        XCTAssertEqual(ProgressBar.render(current: 5, total: 10, elapsed: 1, width: 7), "5/10  …")
    }

    func testOddCountsDoNotBreak() {
        // Beyond the total, negative, no time elapsed yet.
        XCTAssertTrue(ProgressBar.render(current: 15, total: 10, elapsed: 1, width: 80).contains("100%"))
        XCTAssertTrue(ProgressBar.render(current: -4, total: 10, elapsed: 1, width: 80).contains("  0%"))
        XCTAssertEqual(ProgressBar.render(current: 0, total: 10, elapsed: 0, width: 80),
                       "0/10 [" + String(repeating: " ", count: 40) + "]   0%")
    }

    func testBarEighths() {
        XCTAssertEqual(ProgressBar.bar(0, width: 4, color: false), "    ")
        XCTAssertEqual(ProgressBar.bar(1.0 / 32, width: 4, color: false), "▏   ")
        XCTAssertEqual(ProgressBar.bar(0.5, width: 4, color: false), "██  ")
        XCTAssertEqual(ProgressBar.bar(1, width: 4, color: false), "████")
        XCTAssertEqual(ProgressBar.bar(1, width: 2, color: true), "\u{1B}[36m██\u{1B}[0m")
    }

    func testDurationAndRateFormats() {
        XCTAssertEqual(ProgressBar.formatDuration(42.4), "42s")
        XCTAssertEqual(ProgressBar.formatDuration(185), "3:05")
        XCTAssertEqual(ProgressBar.formatDuration(3723), "1:02:03")
        XCTAssertEqual(ProgressBar.formatDuration(.infinity), "?")
        XCTAssertEqual(ProgressBar.formatRate(0.5234), "0.52")
        XCTAssertEqual(ProgressBar.formatRate(85.34), "85.3")
        XCTAssertEqual(ProgressBar.formatRate(1204.4), "1204")
    }

    // MARK: - Drawing over time

    /// A bar with a hand-driven clock that records what it writes.
    final class Harness {
        var now = 100.0
        var written: [String] = []
        func bar(total: Int, tty: Bool) -> ProgressBar {
            ProgressBar(total: total, label: "t", isTTY: tty, columns: { 60 }, clock: { self.now },
                        output: { self.written.append($0) })
        }
    }

    func testTerminalRedrawsInPlaceAtMostTenTimesASecond() {
        let h = Harness()
        let bar = h.bar(total: 100, tty: true)
        for (step, time) in [(1, 100.0), (2, 100.05), (3, 100.12), (4, 100.15), (5, 100.30)] {
            h.now = time
            bar.update(step)
        }
        XCTAssertEqual(h.written.count, 3, "steps 1, 3 and 5 are drawn; 2 and 4 come too soon")
        XCTAssertTrue(h.written.allSatisfy { $0.hasPrefix("\r") && $0.hasSuffix("\u{1B}[K") })
        XCTAssertTrue(h.written[1].contains("3/100"))
        XCTAssertLessThanOrEqual(displayWidth(h.written[2]), 59, "one column short of the terminal")
        h.now = 100.31
        bar.update(100)  // the last step is always drawn
        XCTAssertTrue(h.written.last?.contains("100/100") ?? false)
        bar.finish()
        XCTAssertTrue(h.written.last?.hasSuffix("\n") ?? false)
        let count = h.written.count
        bar.update(50)
        bar.finish()
        XCTAssertEqual(h.written.count, count, "nothing after finish")
    }

    func testLogLineGoesAboveTheBar() {
        let h = Harness()
        let bar = h.bar(total: 10, tty: true)
        bar.update(3)
        bar.log("checkpoint written")
        XCTAssertEqual(h.written[1], "\r\u{1B}[Kcheckpoint written\n")
        XCTAssertTrue(h.written[2].contains("3/10"), "the bar is drawn again below the message")
    }

    func testOffTerminalWritesALineEveryTenPercent() {
        let h = Harness()
        let bar = h.bar(total: 200, tty: false)
        for step in 1...200 {
            h.now += 0.01
            bar.update(step)
        }
        bar.finish()
        XCTAssertEqual(h.written.count, 11, "10%, 20%, … 100%, and the final line")
        XCTAssertTrue(h.written.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\r") && !$0.contains("\u{1B}") })
        XCTAssertTrue(h.written[0].hasPrefix("t 20/200 "), h.written[0])
    }

    func testOffTerminalWithUnknownTotalWritesOnlyTheEnd() {
        let h = Harness()
        let bar = h.bar(total: 0, tty: false)
        for step in 1...50 { bar.update(step) }
        XCTAssertTrue(h.written.isEmpty)
        h.now += 5
        bar.finish()
        XCTAssertEqual(h.written, ["t 50 · 10.0 steps/s · 5s\n"])
    }
}
