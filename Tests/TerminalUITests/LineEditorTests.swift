import Foundation
import XCTest
@testable import TerminalUI

/// The parts of line editing that run without a terminal: prompt markers, UTF-8 input decoding,
/// the history file, and the interrupt flag. Typing, completion and Ctrl-C at the prompt were driven
/// by hand in tmux (see the report of the widgets work).
final class LineEditorTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "interp-line-editor-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: - Prompt

    func testPromptEscapesAreMarkedForLibedit() {
        let prompt = "\u{1B}[1minterp\u{1B}[0m\u{1B}[36m›\u{1B}[0m "
        XCTAssertEqual(LineEditor.markEscapes(prompt),
                       "\u{1}\u{1B}[1m\u{2}interp\u{1}\u{1B}[0m\u{1B}[36m\u{2}›\u{1}\u{1B}[0m\u{2} ",
                       "each run of escape codes sits between one START and one END marker")
        XCTAssertEqual(LineEditor.markEscapes("plain> "), "plain> ")
        XCTAssertEqual(LineEditor.markEscapes("\u{1B}[38;2;1;2;3mx"), "\u{1}\u{1B}[38;2;1;2;3m\u{2}x")
        XCTAssertEqual(LineEditor.markEscapes("cut \u{1B}[3"), "cut \u{1}\u{1B}[3\u{2}", "an unfinished code is closed")
    }

    // MARK: - Input decoding

    func testUTF8InputIsDecodedOneScalarAtATime() {
        var pending: [UInt8] = []
        var decoded: [Int32] = []
        for byte in Array("aé€😀".utf8) {
            pending.append(byte)
            if let scalar = LineEditor.decodeScalar(&pending) { decoded.append(scalar) }
        }
        XCTAssertEqual(decoded, [0x61, 0xE9, 0x20AC, 0x1F600])
        XCTAssertTrue(pending.isEmpty)
    }

    func testInvalidInputBytesBecomeReplacementCharacters() {
        var pending: [UInt8] = [0xFF]
        XCTAssertEqual(LineEditor.decodeScalar(&pending), 0xFFFD)
        pending = [0xC3, 0x41]  // a lead byte followed by ASCII
        XCTAssertEqual(LineEditor.decodeScalar(&pending), 0xFFFD)
        XCTAssertTrue(pending.isEmpty)
        XCTAssertNil(LineEditor.decodeScalar(&pending))
    }

    // MARK: - History

    func testHistoryIsSavedBoundedAndReloaded() throws {
        let path = directory + "/state/interp/history"
        var warnings: [String] = []
        let first = LineEditor(historyFile: path, historyLimit: 3, warn: { warnings.append($0) })
        for line in ["lessons", "read 01", "read 01", "   ", "", "quiz 01", "progress"] { first.addToHistory(line) }
        XCTAssertEqual(first.historyEntries, ["read 01", "quiz 01", "progress"],
                       "blank lines and immediate repeats are skipped; only the last 3 are kept")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "the directories were created")
        XCTAssertEqual(warnings, [])
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/state/interp")
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o700)

        let second = LineEditor(historyFile: path, historyLimit: 3, warn: { warnings.append($0) })
        XCTAssertEqual(second.historyEntries, ["read 01", "quiz 01", "progress"], "a new session starts from the file")
        second.addToHistory("set text \"a b\"")
        let third = LineEditor(historyFile: path, historyLimit: 10)
        XCTAssertEqual(third.historyEntries, ["quiz 01", "progress", "set text \"a b\""])
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: directory + "/state/interp")
            .contains { $0.contains(".tmp") }, "no temp file left behind")
    }

    func testUnwritableHistoryWarnsOnceAndKeepsWorking() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let blocker = directory + "/not-a-directory"
        XCTAssertTrue(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        var warnings: [String] = []
        let editor = LineEditor(historyFile: blocker + "/history", warn: { warnings.append($0) })
        editor.addToHistory("one")
        editor.addToHistory("two")
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings[0].hasPrefix("warning: history not saved"), warnings[0])
        XCTAssertTrue(warnings[0].contains(blocker), "the message names the path")
        XCTAssertFalse(warnings[0].contains("\n"))
        XCTAssertEqual(editor.historyEntries, ["one", "two"], "history still works in memory")
    }

    func testUnreadableHistoryFileIsAWarning() throws {
        try FileManager.default.createDirectory(atPath: directory + "/history", withIntermediateDirectories: true)
        var warnings: [String] = []
        let editor = LineEditor(historyFile: directory + "/history", warn: { warnings.append($0) })
        XCTAssertEqual(editor.historyEntries, [])
        XCTAssertEqual(warnings.count, 1, "a directory where the file should be: \(warnings)")
        XCTAssertTrue(warnings.first?.contains(directory + "/history") ?? false)
    }

    func testMemoryOnlyHistory() {
        let editor = LineEditor(historyFile: nil)
        editor.addToHistory("help")
        XCTAssertEqual(editor.historyEntries, ["help"])
        XCTAssertTrue(editor.isInteractive)
    }

    // MARK: - Interrupt

    func testInterruptFlag() {
        Interrupt.clear()
        XCTAssertFalse(Interrupt.isRequested)
        XCTAssertNoThrow(try Interrupt.check())
        Interrupt.request()
        XCTAssertTrue(Interrupt.isRequested)
        XCTAssertThrowsError(try Interrupt.check()) { XCTAssertEqual($0 as? InterruptedError, InterruptedError()) }
        XCTAssertEqual("\(InterruptedError())", "interrupted")
        Interrupt.clear()
        XCTAssertNoThrow(try Interrupt.check())
    }

    func testCtrlCSetsTheFlagWhileTheCooperativeHandlerIsInstalled() {
        var before = sigaction()
        sigaction(SIGINT, nil, &before)
        Interrupt.request()
        let result: Int = Interrupt.withCooperativeHandler {
            XCTAssertFalse(Interrupt.isRequested, "the flag is cleared on entry")
            raise(SIGINT)  // the process survives: the handler only raises the flag
            XCTAssertTrue(Interrupt.isRequested)
            return 7
        }
        XCTAssertEqual(result, 7)
        Interrupt.clear()
        // The previous disposition is back.
        var after = sigaction()
        sigaction(SIGINT, nil, &after)
        XCTAssertEqual(unsafeBitCast(after.__sigaction_handler.sa_handler, to: Int.self),
                       unsafeBitCast(before.__sigaction_handler.sa_handler, to: Int.self))
    }

    func testCheckStopsALongLoop() {
        var steps = 0
        let outcome = Result {
            try Interrupt.withCooperativeHandler {
                for step in 1...1_000 {
                    if step == 5 { raise(SIGINT) }
                    try Interrupt.check()
                    steps = step
                }
            }
        }
        Interrupt.clear()
        XCTAssertEqual(steps, 4)
        XCTAssertThrowsError(try outcome.get())
    }
}
