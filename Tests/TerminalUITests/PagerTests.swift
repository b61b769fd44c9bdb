import XCTest
@testable import TerminalUI

final class PagerTests: XCTestCase {
    static let hundredLines = (1...100).map { "line \($0)" }.joined(separator: "\n") + "\n"

    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    // MARK: - When to page

    func testNeedsPagingCountsRowsIncludingWrappedLines() {
        let five = "a\nb\nc\nd\ne\n"
        XCTAssertFalse(Pager.needsPaging(five, rows: 10, columns: 80))
        XCTAssertTrue(Pager.needsPaging(five, rows: 5, columns: 80), "one row is kept for the prompt")
        XCTAssertFalse(Pager.needsPaging("a\nb\nc\nd", rows: 5, columns: 80), "no trailing newline")
        let long = String(repeating: "x", count: 250)  // 3 rows at 100 columns
        XCTAssertFalse(Pager.needsPaging([long, long, long].joined(separator: "\n"), rows: 10, columns: 100))
        XCTAssertTrue(Pager.needsPaging([long, long, long, long].joined(separator: "\n"), rows: 10, columns: 100))
        let coloured = String(repeating: "\u{1B}[31mx\u{1B}[0m", count: 100)  // 100 columns, not 900
        XCTAssertFalse(Pager.needsPaging(coloured, rows: 2, columns: 100))
        XCTAssertFalse(Pager.needsPaging("", rows: 1, columns: 0), "degenerate sizes do not crash")
    }

    // MARK: - Keys

    func testPagingKeys() {
        var model = PagerModel(text: Self.hundredLines, height: 10)
        XCTAssertEqual(model.lines.count, 100)
        XCTAssertTrue(model.handle(bytes(" ")))
        XCTAssertEqual(model.top, 10)
        XCTAssertTrue(model.handle(bytes("f")))
        XCTAssertEqual(model.top, 20)
        XCTAssertTrue(model.handle(bytes("b")))
        XCTAssertEqual(model.top, 10)
        XCTAssertTrue(model.handle(bytes("jjj")))
        XCTAssertEqual(model.top, 13)
        XCTAssertTrue(model.handle(bytes("k")))
        XCTAssertEqual(model.top, 12)
        XCTAssertTrue(model.handle(bytes("d")))
        XCTAssertEqual(model.top, 17)
        XCTAssertTrue(model.handle(bytes("G")))
        XCTAssertEqual(model.top, 90, "the last page shows lines 91-100")
        XCTAssertTrue(model.atEnd)
        XCTAssertTrue(model.handle(bytes(" ")))
        XCTAssertEqual(model.top, 90, "space at the end stays")
        XCTAssertTrue(model.handle(bytes("g")))
        XCTAssertEqual(model.top, 0)
        XCTAssertTrue(model.handle(bytes("bk")))
        XCTAssertEqual(model.top, 0, "never before the first line")
    }

    func testEscapeSequences() {
        var model = PagerModel(text: Self.hundredLines, height: 10)
        XCTAssertTrue(model.handle(bytes("\u{1B}[B\u{1B}[B")))
        XCTAssertEqual(model.top, 2, "two down arrows in one read")
        XCTAssertTrue(model.handle(bytes("\u{1B}[A")))
        XCTAssertEqual(model.top, 1)
        XCTAssertTrue(model.handle(bytes("\u{1B}[6~")))
        XCTAssertEqual(model.top, 11)
        XCTAssertTrue(model.handle(bytes("\u{1B}[5~")))
        XCTAssertEqual(model.top, 1)
        XCTAssertTrue(model.handle(bytes("\u{1B}[F")))
        XCTAssertEqual(model.top, 90)
        XCTAssertTrue(model.handle(bytes("\u{1B}[H")))
        XCTAssertEqual(model.top, 0)
        XCTAssertTrue(model.handle(bytes("\u{1B}")), "a lone Escape is ignored")
    }

    func testQuitKeys() {
        for key in ["q", "Q", "\u{03}"] {
            var model = PagerModel(text: Self.hundredLines, height: 10)
            XCTAssertFalse(model.handle(bytes(key)), "\(key.debugDescription) quits")
        }
        var model = PagerModel(text: Self.hundredLines, height: 10)
        XCTAssertFalse(model.handle(bytes("jjq")), "keys before q in the same read still count")
    }

    func testSearch() {
        var model = PagerModel(text: Self.hundredLines, height: 10)
        XCTAssertTrue(model.handle(bytes("/line 5")))
        XCTAssertEqual(model.typing, "line 5")
        XCTAssertTrue(model.status(width: 80).hasPrefix("/line 5"))
        XCTAssertTrue(model.handle(bytes("\r")))
        XCTAssertNil(model.typing)
        XCTAssertEqual(model.top, 4, "line 5 is the first match")
        XCTAssertTrue(model.handle(bytes("n")))
        XCTAssertEqual(model.top, 49, "then line 50")
        XCTAssertTrue(model.handle(bytes("N")))
        XCTAssertEqual(model.top, 4)
        XCTAssertTrue(model.handle(bytes("/LINE 99\r")))
        XCTAssertEqual(model.top, 90, "a match on the last page shows the last page (case-insensitive)")
        XCTAssertTrue(model.status(width: 80).contains("match on line 99"))
        XCTAssertTrue(model.handle(bytes("/zebra\r")))
        XCTAssertTrue(model.status(width: 80).contains("pattern not found: zebra"))
        XCTAssertTrue(model.handle(bytes("/abc\u{7F}\u{7F}\u{1B}")))
        XCTAssertNil(model.typing, "Escape cancels the search being typed")
        XCTAssertEqual(model.lastQuery, "zebra")
    }

    func testSearchIgnoresColourCodes() {
        var model = PagerModel(text: "plain\n\u{1B}[1mbo\u{1B}[0mld\nmore\n", height: 1)
        XCTAssertTrue(model.handle(bytes("/bold\r")))
        XCTAssertEqual(model.top, 1)
    }

    // MARK: - Drawing

    func testFrameAndStatus() {
        let model = PagerModel(text: "one\ntwo\n", height: 3)
        let frame = model.frame(width: 40)
        XCTAssertTrue(frame.hasPrefix("\u{1B}[H\u{1B}[2Kone\u{1B}[0m\n\u{1B}[2Ktwo\u{1B}[0m\n\u{1B}[2K~"), frame.debugDescription)
        XCTAssertEqual(model.status(width: 200), " lines 1-2/2 100% (END)  space next · b back · / search · q quit ")
        XCTAssertEqual(displayWidth(model.status(width: 20)), 20)
        let empty = PagerModel(text: "", height: 5)
        XCTAssertTrue(empty.status(width: 80).hasPrefix(" lines 0-0/0 100%"))
    }
}
