import XCTest
@testable import TerminalUI

final class TableTests: XCTestCase {
    func testBoxedTableAtNaturalWidth() {
        let table = TextTable(headers: ["a", "bb"], rows: [["1", "2"], ["333", ""]])
        XCTAssertEqual(table.render(maxWidth: 80, color: false), """
            ┌─────┬────┐
            │ a   │ bb │
            ╞═════╪════╡
            │ 1   │ 2  │
            │ 333 │    │
            └─────┴────┘
            """)
    }

    func testAlignments() {
        let table = TextTable(headers: ["left", "centre", "right"], rows: [["a", "b", "c"]],
                              alignments: [.left, .center, .right])
        XCTAssertEqual(table.renderLines(maxWidth: 80, color: false)[3], "│ a    │   b    │     c │")
    }

    func testPlainLayoutSeparatesColumnsWithTwoSpaces() {
        let table = TextTable(headers: ["id", "title"], rows: [["01", "Welcome"], ["02", "Attention"]],
                              alignments: [.right], boxed: false)
        XCTAssertEqual(table.render(maxWidth: 80, color: false), """
            id  title
            ──  ─────────
            01  Welcome
            02  Attention
            """)
    }

    func testTableWithoutHeaders() {
        let table = TextTable(rows: [["x", "y"]])
        XCTAssertEqual(table.render(maxWidth: 80, color: false), """
            ┌───┬───┐
            │ x │ y │
            └───┴───┘
            """)
    }

    func testRaggedRowsArePaddedAndEmptyTableIsEmpty() {
        let table = TextTable(headers: ["a"], rows: [["1", "2", "3"]])
        XCTAssertEqual(table.renderLines(maxWidth: 80, color: false)[1], "│ a │   │   │")
        XCTAssertEqual(TextTable(rows: []).render(maxWidth: 80, color: false), "")
    }

    func testWideCharactersArePaddedByDisplayWidth() {
        let table = TextTable(headers: ["city"], rows: [["東京"], ["🗼"]])
        let lines = table.renderLines(maxWidth: 80, color: false)
        XCTAssertEqual(lines[3], "│ 東京 │")
        XCTAssertEqual(lines[4], "│ 🗼   │")
        XCTAssertEqual(Set(lines.map(displayWidth)).count, 1)
    }

    func testWidestColumnShrinksFirstAndCellsWrap() {
        let long = "one two three four five six seven eight nine ten"
        let table = TextTable(headers: ["key", "value"], rows: [["k", long]])
        let lines = table.renderLines(maxWidth: 24, color: false)
        XCTAssertEqual(lines, [
            "┌─────┬────────────────┐",
            "│ key │ value          │",
            "╞═════╪════════════════╡",
            "│ k   │ one two three  │",
            "│     │ four five six  │",
            "│     │ seven eight    │",
            "│     │ nine ten       │",
            "└─────┴────────────────┘",
        ])
    }

    func testRowsAreSeparatedOnlyWhenACellWraps() {
        let short = TextTable(headers: ["a"], rows: [["1"], ["2"]]).renderLines(maxWidth: 80, color: false)
        XCTAssertFalse(short.contains { $0.hasPrefix("├") })
        let wrapped = TextTable(headers: ["a"], rows: [["1 2 3 4 5 6"], ["2"]]).renderLines(maxWidth: 9, color: false)
        XCTAssertTrue(wrapped.contains { $0.hasPrefix("├") })
    }

    func testNeverWiderThanTheBudget() {
        let rows = [
            ["0.1", "previous token", "0.93", "Attends one position back on almost every token of the prompt."],
            ["1.4", "induction", "0.88", "Copies what followed the earlier occurrence of 東京 🗼."],
            ["averyveryverylongidentifier", "x", "1", "short"],
        ]
        let table = TextTable(headers: ["Head", "Pattern", "Score", "Notes"], rows: rows,
                              alignments: [.left, .center, .right, .left])
        for width in 2...90 {
            let lines = table.renderLines(maxWidth: width, color: false)
            XCTAssertFalse(lines.isEmpty)
            for line in lines { XCTAssertLessThanOrEqual(displayWidth(line), width, "at width \(width): \(line)") }
            if lines.first?.hasPrefix("┌") == true {
                XCTAssertEqual(Set(lines.map(displayWidth)).count, 1, "box lines share one width at \(width)")
            }
        }
    }

    func testColumnsStopAtTheMinimumThenFallBackToRecords() {
        let table = TextTable(headers: ["name", "description"], rows: [["alpha", "the first letter"], ["beta", "the second"]])
        // 2 columns of at least 4, plus 7 columns of borders: 15 fits, 14 does not.
        XCTAssertTrue(table.renderLines(maxWidth: 15, color: false)[0].hasPrefix("┌"))
        let records = table.renderLines(maxWidth: 14, color: false)
        XCTAssertFalse(records.contains { $0.contains("┌") })
        XCTAssertTrue(records.contains("name  alpha"), records.joined(separator: "\n"))
        XCTAssertTrue(records.contains { $0.hasPrefix("desc") })
        for line in records { XCTAssertLessThanOrEqual(displayWidth(line), 14) }
    }

    func testNoEscapesWithoutColourAndStylesWithColour() {
        let table = TextTable(headers: ["h"], rows: [["v"]])
        XCTAssertFalse(table.render(maxWidth: 40, color: false).contains("\u{1B}"))
        let colored = table.renderLines(maxWidth: 40, color: true)
        XCTAssertEqual(colored[0], "\u{1B}[2m┌───┐\u{1B}[0m")
        XCTAssertEqual(colored[1], "\u{1B}[2m│\u{1B}[0m \u{1B}[1mh\u{1B}[0m \u{1B}[2m│\u{1B}[0m")
    }

    func testHeaderStyleSurvivesResetsInsideTheCell() {
        let cell = "a \u{1B}[33mcode\u{1B}[0m b"
        let line = TextTable(headers: [cell], rows: []).renderLines(maxWidth: 40, color: true)[1]
        XCTAssertTrue(line.contains("\u{1B}[0m\u{1B}[1m b"), line.debugDescription)
    }

    func testMultilineCells() {
        let lines = TextTable(headers: ["a"], rows: [["x\ny"]]).renderLines(maxWidth: 40, color: false)
        XCTAssertEqual(Array(lines[3...4]), ["│ x │", "│ y │"])
    }

    func testShrinkTakesFromTheWidestAndRespectsMinimums() {
        XCTAssertEqual(TextTable.shrink([10, 3, 10], toFit: 17, minimum: [4, 3, 4]), [7, 3, 7])
        XCTAssertEqual(TextTable.shrink([20, 5], toFit: 9, minimum: [4, 4]), [5, 4])
    }
}
