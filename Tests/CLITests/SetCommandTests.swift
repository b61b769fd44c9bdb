import Foundation
import XCTest

final class SetCommandTests: XCTestCase {
    func testModelAndTextCarryOverInTheREPL() throws {
        let runner = try InterpRunner()
        let model = try toyIOIModel(runner)
        let script = """
        set model \(model)
        set text "cat dog cat"
        set
        lens --json
        set --clear
        lens
        quit

        """
        let r = try runner.run([], stdin: script)
        XCTAssertTrue(r.stdout.contains("text \"cat dog cat\""), r.stdout)
        XCTAssertTrue(r.stdout.contains("\"kind\" : \"logit_lens\""), r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("model and text cleared"), r.stdout)
        XCTAssertTrue(r.stderr.contains("no model"), r.stderr)
    }

    func testErrors() throws {
        let runner = try InterpRunner()
        let missing = try runner.run([], stdin: "set model nosuchmodel\nquit\n")
        XCTAssertTrue(missing.stderr.contains("nosuchmodel"), missing.stderr)
        let model = try toyIOIModel(runner)
        let badText = try runner.run([], stdin: "set model \(model)\nset text \"cat dgo\"\nset\nquit\n")
        XCTAssertTrue(badText.stderr.contains("unknown word 'dgo'"), badText.stderr)
        XCTAssertTrue(badText.stdout.contains("(none)"), badText.stdout)
        XCTAssertEqual(try runner.run(["attn"]).status, 64)
    }
}
