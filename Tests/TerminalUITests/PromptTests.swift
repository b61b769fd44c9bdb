import Foundation
import XCTest
@testable import TerminalUI

final class PromptTests: XCTestCase {
    /// A prompter over scripted lines, collecting what it prints and which files it was asked to edit.
    final class Harness {
        var printed = ""
        var edited: [String] = []
        var editorResult: (String) -> Bool = { _ in true }
        let source: ArrayLineSource
        init(_ inputs: [LineInput], interactive: Bool) {
            source = ArrayLineSource(inputs: inputs, interactive: interactive)
        }
        var prompter: Prompter {
            Prompter(source: source, output: { self.printed += $0 },
                     editFile: { path in self.edited.append(path); return self.editorResult(path) })
        }
    }

    static func lines(_ texts: String...) -> [LineInput] { texts.map { .line($0) } }

    // MARK: - Multi-line answers

    func testMultilineEndsAtALoneDot() {
        let h = Harness(Self.lines("The head attends", "  to the previous token.", " . ", "not read"), interactive: false)
        XCTAssertEqual(h.prompter.multiline(prompt: "> "), "The head attends\n  to the previous token.")
        XCTAssertEqual(h.source.prompts, ["> ", "> ", "> "])
        XCTAssertEqual(h.printed, "", "no hint when nobody is typing")
        XCTAssertEqual(h.source.read(prompt: ""), .line("not read"), "the line after the dot is left for the caller")
    }

    func testMultilineAtEndOfInput() {
        XCTAssertEqual(Harness(Self.lines("one", "two"), interactive: false).prompter.multiline(), "one\ntwo",
                       "a pipe that ends without a dot still gives its lines")
        XCTAssertNil(Harness([], interactive: false).prompter.multiline(), "nothing at all")
        XCTAssertEqual(Harness(Self.lines("."), interactive: false).prompter.multiline(), "", "an empty answer")
    }

    func testMultilineCancelledByCtrlC() {
        let h = Harness([.line("half an answer"), .interrupted], interactive: true)
        XCTAssertNil(h.prompter.multiline())
        XCTAssertTrue(h.printed.contains("finish with a line holding only ."), h.printed)
    }

    func testEditCommandOpensTheEditorOnTheTextSoFar() {
        let h = Harness(Self.lines("first line", ":e", "not read"), interactive: true)
        var seenContent = ""
        h.editorResult = { path in
            seenContent = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<unreadable>"
            return (try? "first line\nsecond, from the editor\n\n".write(toFile: path, atomically: false, encoding: .utf8)) != nil
        }
        XCTAssertEqual(h.prompter.multiline(), "first line\nsecond, from the editor")
        XCTAssertEqual(seenContent, "first line\n")
        XCTAssertEqual(h.edited.count, 1)
        XCTAssertTrue(h.edited[0].hasSuffix(".md"), h.edited[0])
        XCTAssertFalse(FileManager.default.fileExists(atPath: h.edited[0]), "the temp file is removed")
    }

    func testFailedEditorLetsTheUserKeepTyping() {
        let h = Harness(Self.lines("a", ":e", "b", "."), interactive: true)
        h.editorResult = { _ in false }
        XCTAssertEqual(h.prompter.multiline(), "a\nb")
        XCTAssertTrue(h.printed.contains("keep typing"))
    }

    func testEditCommandIsPlainTextFromAPipe() {
        let h = Harness(Self.lines(":e", "."), interactive: false)
        XCTAssertEqual(h.prompter.multiline(), ":e")
        XCTAssertTrue(h.edited.isEmpty)
    }

    // MARK: - Confirmation

    func testConfirmDefaultsToNo() {
        for (answer, expected) in [("y", true), ("YES", true), (" yes ", true), ("", false), ("n", false), ("No", false)] {
            let h = Harness(Self.lines(answer), interactive: true)
            XCTAssertEqual(h.prompter.confirm("Reset progress?"), expected, answer)
            XCTAssertEqual(h.source.prompts, ["Reset progress? [y/N] "])
        }
    }

    func testConfirmAsksAgainAfterAnUnclearAnswer() {
        let h = Harness(Self.lines("maybe", "y"), interactive: true)
        XCTAssertTrue(h.prompter.confirm("Sure?"))
        XCTAssertEqual(h.source.prompts.count, 2)
        XCTAssertTrue(h.printed.contains("Please answer y or n."))
        XCTAssertFalse(Harness(Self.lines("?", "?", "?", "y"), interactive: true).prompter.confirm("Sure?"),
                       "three unclear answers are a no")
    }

    func testConfirmWithoutATerminalNeverReads() {
        let h = Harness(Self.lines("y"), interactive: false)
        XCTAssertFalse(h.prompter.canPrompt)
        XCTAssertFalse(h.prompter.confirm("Delete?"))
        XCTAssertTrue(h.source.prompts.isEmpty, "the answer stays unread: the caller must require --yes")
        XCTAssertFalse(Harness([.interrupted], interactive: true).prompter.confirm("Delete?"))
        XCTAssertFalse(Harness([], interactive: true).prompter.confirm("Delete?"))
    }

    // MARK: - Single lines and sources

    func testSingleLine() {
        let h = Harness([.line("42"), .interrupted], interactive: true)
        XCTAssertEqual(h.prompter.line("answer: "), "42")
        XCTAssertNil(h.prompter.line("answer: "), "Ctrl-C")
        XCTAssertNil(h.prompter.line("answer: "), "end of input")
    }

    func testReadLineSkipsAbandonedLines() {
        let source = ArrayLineSource(inputs: [.interrupted, .interrupted, .line("lessons")])
        XCTAssertEqual(source.readLine(prompt: "> "), "lessons")
        XCTAssertNil(source.readLine(prompt: "> "))
    }

    func testStdinSourceReadsAPipeLineByLine() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let input = "lessons\r\nread welcome\n\nüñí\nlast line without newline"
        let written = input.utf8CString.withUnsafeBufferPointer { write(fds[1], $0.baseAddress, $0.count - 1) }
        XCTAssertEqual(written, input.utf8.count)
        close(fds[1])
        defer { close(fds[0]) }
        let source = StdinLineSource(fd: fds[0])
        XCTAssertFalse(source.isInteractive)
        let prompter = Prompter(source: source)
        XCTAssertEqual(source.read(prompt: "interp> "), .line("lessons"))
        XCTAssertEqual(source.read(prompt: "interp> "), .line("read welcome"))
        XCTAssertEqual(prompter.multiline(), "\nüñí\nlast line without newline")
        XCTAssertEqual(source.read(prompt: ""), .endOfInput)
        XCTAssertEqual(source.read(prompt: ""), .endOfInput, "and it stays at the end")
    }
}
