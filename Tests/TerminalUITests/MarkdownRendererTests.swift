import XCTest
@testable import TerminalUI

final class MarkdownRendererTests: XCTestCase {
    private func plain(_ markdown: String, width: Int = 40) -> String {
        MarkdownRenderer(width: width, color: false).render(markdown)
    }

    private func colored(_ markdown: String, width: Int = 40, hyperlinks: Bool = false) -> String {
        MarkdownRenderer(width: width, color: true, hyperlinks: hyperlinks).render(markdown)
    }

    // MARK: Blocks

    func testEmptyInputRendersNothing() {
        XCTAssertEqual(plain(""), "")
        XCTAssertEqual(plain("\n\n"), "")
    }

    func testParagraphsWrapAndAreSeparatedByABlankLine() {
        XCTAssertEqual(plain("one two three four five six seven\n\nnext", width: 20),
                       "one two three four\nfive six seven\n\nnext\n")
    }

    func testSoftBreakIsASpaceAndHardBreakIsANewline() {
        XCTAssertEqual(plain("a\nb"), "a b\n")
        XCTAssertEqual(plain("a  \nb"), "a\nb\n")
        XCTAssertEqual(plain("a\\\nb"), "a\nb\n")
    }

    func testHeadingsWithoutColour() {
        XCTAssertEqual(plain("# Title\n\n## Part\n\n### Sub\n\n#### Deep"),
                       "Title\n═════\n\nPart\n────\n\n### Sub\n\n#### Deep\n")
    }

    func testHeadingsWithColour() {
        XCTAssertEqual(colored("# T"), "\u{1B}[1;35mT\u{1B}[0m\n\u{1B}[1;35m═\u{1B}[0m\n")
        XCTAssertEqual(colored("## T"), "\u{1B}[1;36mT\u{1B}[0m\n")
        XCTAssertEqual(colored("### T"), "\u{1B}[1mT\u{1B}[0m\n")
    }

    func testHeadingPositionsAreReported() {
        let rendered = MarkdownRenderer(width: 40).renderDocument("# One\n\ntext\n\n## Two *b*\n")
        XCTAssertEqual(rendered.headings, [.init(level: 1, title: "One", line: 0), .init(level: 2, title: "Two b", line: 5)])
        XCTAssertEqual(rendered.text.split(separator: "\n", omittingEmptySubsequences: false)[5], "Two b")
    }

    func testThematicBreakSpansTheWidth() {
        XCTAssertEqual(plain("a\n\n---\n\nb", width: 24), "a\n\n" + String(repeating: "─", count: 24) + "\n\nb\n")
    }

    func testNestedBlockQuotes() {
        XCTAssertEqual(plain("> a\n>\n> > b c d e f g h i j k l m n o p", width: 20),
                       "│ a\n│\n│ │ b c d e f g h i\n│ │ j k l m n o p\n")
    }

    func testUnorderedListsNestWithHangingIndents() {
        let markdown = "- one two three four five six\n  - nested item that wraps here\n    - third level"
        XCTAssertEqual(plain(markdown, width: 20), """
            • one two three four
              five six
              ◦ nested item that
                wraps here
                ▪ third level

            """)
    }

    func testOrderedNumbersAreRightAligned() {
        let markdown = (1...10).map { "\($0). item \($0)" }.joined(separator: "\n") + " wraps onto the next line"
        let lines = plain(markdown, width: 22).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], " 1. item 1")
        XCTAssertEqual(lines[8], " 9. item 9")
        XCTAssertEqual(lines[9], "10. item 10 wraps onto")
        XCTAssertEqual(lines[10], "    the next line")
    }

    func testOrderedListKeepsItsStartAndDelimiter() {
        XCTAssertEqual(plain("3) c\n4) d"), "3) c\n4) d\n")
    }

    func testLooseListsKeepBlankLinesBetweenItems() {
        XCTAssertEqual(plain("- a\n\n- b"), "• a\n\n• b\n")
    }

    func testTaskListBoxes() {
        XCTAssertEqual(plain("- [x] done\n- [ ] todo"), "[x] done\n[ ] todo\n")
        XCTAssertEqual(colored("- [x] done\n- [ ] todo"), "\u{1B}[32m☑\u{1B}[0m done\n☐ todo\n")
        XCTAssertEqual(plain("1. [ ] first"), "1. [ ] first\n")
    }

    func testFencedCodeIsNeverWrappedAndGetsALabel() {
        let long = String(repeating: "x", count: 50)
        let output = plain("```python\nprint(1)\n\(long)\n```", width: 30)
        // Rules span the width after the 2-column indent: 2 + 3 + "python" + 1 + 18 = 30.
        XCTAssertEqual(output, "  ── python " + dashes(18) + "\n  print(1)\n  \(long)\n  " + dashes(28) + "\n")
    }

    func testCodeWithoutColourIsNotHighlightedAndTabsExpand() {
        XCTAssertEqual(plain("```swift\nlet a = \"s\"\n\tb\n```", width: 20),
                       "  ── swift " + dashes(9) + "\n  let a = \"s\"\n      b\n  " + dashes(18) + "\n")
    }

    private func dashes(_ n: Int) -> String { String(repeating: "─", count: n) }

    func testCodeWithColourIsHighlighted() {
        let output = colored("```swift\nlet a = 1\n```")
        XCTAssertTrue(output.contains("  \u{1B}[35mlet\u{1B}[0m a = \u{1B}[36m1\u{1B}[0m\n"), output.debugDescription)
    }

    func testRunnableBlocksAreNumberedInOrder() {
        let markdown = "```interp\nheads\n```\n\n```python\nx\n```\n\n- ```interp\n  run this\n  ```\n"
        let output = MarkdownRenderer(width: 40, numberRunnableBlocks: true).render(markdown)
        XCTAssertTrue(output.contains("── interp [run 1] ──"), output)
        XCTAssertTrue(output.contains("── interp [run 2] ──"), output)
        XCTAssertFalse(output.contains("[run 3]"))
        XCTAssertFalse(MarkdownRenderer(width: 40).render(markdown).contains("[run"))
        XCTAssertEqual(MarkdownRenderer.runnableBlocks(in: markdown), ["heads\n", "run this\n"])
    }

    func testHTMLIsShownAsIsAndDimmed() {
        XCTAssertEqual(plain("<div>\nhi\n</div>"), "<div>\nhi\n</div>\n")
        XCTAssertEqual(colored("a <b>x</b>"), "a \u{1B}[2m<b>\u{1B}[0mx\u{1B}[2m</b>\u{1B}[0m\n")
    }

    func testTablesUseBoxDrawingAndAlignment() {
        let markdown = "| a | b |\n|:-:|--:|\n| 1 | 22 |"
        XCTAssertEqual(plain(markdown), """
            ┌───┬────┐
            │ a │  b │
            ╞═══╪════╡
            │ 1 │ 22 │
            └───┴────┘

            """)
    }

    func testFootnotesAreCollectedAtTheEnd() {
        let markdown = "A[^x] and B[^y] and A again[^x].\n\n[^y]: Why.\n[^x]: Ex."
        XCTAssertEqual(plain(markdown), """
            A[1] and B[2] and A again[1].

            ────────────────────
            [1] Ex.
            [2] Why.

            """)
    }

    // MARK: Inlines

    func testInlineStylesWithoutColour() {
        XCTAssertEqual(plain("*em* **strong** ~~gone~~ `code`"), "em strong ~~gone~~ `code`\n")
    }

    func testInlineStylesWithColourNest() {
        XCTAssertEqual(colored("**bold *both* bold**"),
                       "\u{1B}[1mbold \u{1B}[3mboth\u{1B}[0m\u{1B}[1m bold\u{1B}[0m\n")
        XCTAssertEqual(colored("`code`"), "\u{1B}[33mcode\u{1B}[0m\n")
    }

    func testLinksWithoutHyperlinks() {
        XCTAssertEqual(plain("[docs](https://example.org/x)"), "docs (https://example.org/x)\n")
        XCTAssertEqual(plain("<https://example.org>"), "https://example.org\n")
        XCTAssertEqual(plain("see www.example.org now"), "see www.example.org now\n")
        XCTAssertEqual(plain("mail a@b.org"), "mail a@b.org\n")
    }

    func testLinksAsOSC8Hyperlinks() {
        XCTAssertEqual(colored("[docs](https://example.org)", hyperlinks: true),
                       "\u{1B}]8;;https://example.org\u{1B}\\\u{1B}[34;4mdocs\u{1B}]8;;\u{1B}\\\u{1B}[0m\n")
    }

    func testHyperlinksNeedColour() {
        let output = MarkdownRenderer(width: 40, color: false, hyperlinks: true).render("[docs](https://example.org)")
        XCTAssertEqual(output, "docs (https://example.org)\n")
    }

    func testImages() {
        XCTAssertEqual(plain("![a cat](cat.png)"), "[image: a cat] (cat.png)\n")
        XCTAssertEqual(plain("![](cat.png)"), "[image] (cat.png)\n")
    }

    func testControlCharactersInTheSourceNeverReachTheOutput() {
        let output = plain("a\u{1B}[31mb\u{7}c\n\n```\nx\u{1B}]0;title\u{7}\n```")
        XCTAssertFalse(output.contains("\u{1B}"))
        XCTAssertFalse(output.contains("\u{7}"))
    }

    func testWidthIsAtLeastTheMinimum() {
        XCTAssertEqual(MarkdownRenderer(width: 3).render("---"), String(repeating: "─", count: 20) + "\n")
    }

    func testPathologicalInputRendersWithoutEscapesOrCrashes() {
        let wideTable = "|" + (1...60).map { "c\($0)|" }.joined() + "\n|" + String(repeating: "-|", count: 60)
            + "\n|" + (1...60).map { "value \($0)|" }.joined()
        let inputs = [
            String(repeating: "> ", count: 200) + "deep quote",
            (0..<60).map { String(repeating: "  ", count: $0) + "- level \($0)" }.joined(separator: "\n"),
            wideTable,
            "a\u{0}b [x](<>) ![]() [^missing] <",
            "```\nunterminated fence",
            "| a |\n|---|\n| " + String(repeating: "東", count: 200) + " |",
        ]
        for markdown in inputs {
            let output = plain(markdown, width: 30)
            XCTAssertFalse(output.isEmpty)
            XCTAssertFalse(output.contains("\u{1B}"))
        }
        for line in plain(wideTable, width: 60).split(separator: "\n") {
            XCTAssertLessThanOrEqual(displayWidth(String(line)), 60, "a table too wide for the width becomes records")
        }
    }

    func testNarrowWidthsDoNotCrash() throws {
        let markdown = try String(contentsOf: MarkdownGoldenTests.fixtures.appendingPathComponent("all-constructs.md"),
                                  encoding: .utf8)
        for width in [-5, 0, 1, 10, 20, 21, 33] {
            XCTAssertFalse(MarkdownRenderer(width: width, color: true, hyperlinks: true).render(markdown).isEmpty)
        }
    }

    /// Rendering recurses per level: a document nested deeper than the limit is shown as plain
    /// text (made safe) instead of overflowing the stack.
    func testDeepNestingIsShownAsPlainTextWithoutRecursing() {
        let quotes = String(repeating: ">", count: 50_000) + " deep \u{1B}[31m\n"
        let lists = String(repeating: "- ", count: 20_000) + "x\n"
        let emphasis = String(repeating: "*a ", count: 20_000) + String(repeating: "*", count: 20_000) + "\n"
        for markdown in [quotes, lists, emphasis] {
            let output = MarkdownRenderer(width: 40, color: true).render(markdown)
            XCTAssertTrue(output.hasSuffix("\n"))
            XCTAssertFalse(output.contains("\u{1B}"), "plain text, and no escape from the input")
        }
        XCTAssertTrue(MarkdownRenderer(width: 40).render(quotes).hasPrefix(">>>>"))
        XCTAssertEqual(MarkdownRenderer.runnableBlocks(in: quotes + "\n```interp\nlessons\n```\n"), [])
        // Document, 61 quotes, a paragraph and its text: 63 levels below the document.
        let limit = String(repeating: ">", count: MarkdownRenderer.maximumDepth - 3) + " fine\n"
        XCTAssertTrue(plain(limit, width: 300).contains("fine"))
        XCTAssertFalse(plain(limit, width: 300).hasPrefix(">"), "within the limit it is rendered")
    }
}
