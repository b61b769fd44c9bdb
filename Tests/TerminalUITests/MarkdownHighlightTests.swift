import XCTest
@testable import TerminalUI

final class MarkdownHighlightTests: XCTestCase {
    private let kw = "\u{1B}[35m", str = "\u{1B}[32m", com = "\u{1B}[90;3m", num = "\u{1B}[36m", end = "\u{1B}[0m"

    private func highlight(_ code: String, _ language: CodeLanguage) -> [String] {
        CodeHighlighter(language: language).highlight(code.components(separatedBy: "\n"))
    }

    func testLanguagesFromInfoStrings() {
        XCTAssertEqual(CodeLanguage(infoString: "swift"), .swift)
        XCTAssertEqual(CodeLanguage(infoString: "py title=x"), .python)
        XCTAssertEqual(CodeLanguage(infoString: "Bash"), .shell)
        XCTAssertNil(CodeLanguage(infoString: "rust"))
        XCTAssertNil(CodeLanguage(infoString: ""))
    }

    func testSwiftTokens() {
        XCTAssertEqual(highlight("let x = 1.5e-3 // note", .swift),
                       ["\(kw)let\(end) x = \(num)1.5e-3\(end) \(com)// note\(end)"])
        XCTAssertEqual(highlight("f(\"a \\\"q\\\" b\", x1)", .swift), ["f(\(str)\"a \\\"q\\\" b\"\(end), x1)"])
        XCTAssertEqual(highlight("for i in 0..<3 {}", .swift),
                       ["\(kw)for\(end) i \(kw)in\(end) \(num)0\(end)..<\(num)3\(end) {}"])
    }

    func testSwiftBlockCommentsNestAndCarryOver() {
        XCTAssertEqual(highlight("a /* one /* two */\nstill */ b", .swift),
                       ["a \(com)/* one /* two */\(end)", "\(com)still */\(end) b"])
    }

    func testPythonTokens() {
        XCTAssertEqual(highlight("def f(x): return None  # done", .python),
                       ["\(kw)def\(end) f(x): \(kw)return\(end) \(kw)None\(end)  \(com)# done\(end)"])
        XCTAssertEqual(highlight("s = f'{x}' + r\"\\d\"", .python),
                       ["s = \(str)f'{x}'\(end) + \(str)r\"\\d\"\(end)"])
    }

    func testPythonTripleQuotedStringsCarryOver() {
        XCTAssertEqual(highlight("x = \"\"\"a\nb\"\"\" + 2", .python),
                       ["x = \(str)\"\"\"a\(end)", "\(str)b\"\"\"\(end) + \(num)2\(end)"])
    }

    func testShellTokens() {
        XCTAssertEqual(highlight("if [ $# -gt 0 ]; then echo 'a#b'; fi # c", .shell),
                       ["\(kw)if\(end) [ $# -gt \(num)0\(end) ]; \(kw)then\(end) echo \(str)'a#b'\(end); \(kw)fi\(end) \(com)# c\(end)"])
        XCTAssertEqual(highlight("cp file2.txt /tmp", .shell), ["cp file2.txt /tmp"], "digits inside words are not numbers")
    }

    func testHighlightingNeverChangesTheText() {
        let samples: [(String, CodeLanguage)] = [
            ("let s = \"unterminated\nvar t = 0x1F /* open", .swift),
            ("'''doc\nstill doc'''\nprint(1_000)", .python),
            ("echo \"multi\nline\" 'x' # c\n", .shell),
            ("日本語 = \"東京\" // ok 🗼", .swift),
        ]
        for (code, language) in samples {
            let lines = code.components(separatedBy: "\n")
            XCTAssertEqual(CodeHighlighter(language: language).highlight(lines).map(stripANSI), lines)
        }
    }
}
