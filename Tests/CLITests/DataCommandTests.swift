import Foundation
import XCTest

final class DataCommandTests: XCTestCase {
    func testIOIPairsAndRepeatedTokens() throws {
        let runner = try InterpRunner()
        let r = try runner.run(["data", "ioi", "--n", "6", "--seed", "1", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let pairs = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(pairs.count, 6)
        let again = try runner.run(["data", "ioi", "--n", "6", "--seed", "1", "--json"])
        XCTAssertEqual(r.stdout, again.stdout)                                   // seeded
        let flip = try runner.run(["data", "ioi", "--n", "6", "--seed", "1", "--corrupt", "flip", "--json"])
        XCTAssertNotEqual(flip.stdout, r.stdout)
        let file = runner.home.appendingPathComponent("p.jsonl")
        XCTAssertEqual(try runner.run(["data", "ioi", "--n", "7", "--out", file.path]).status, 0)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 7)
        let rep = try runner.run(["data", "repeated", "--seq-len", "3", "--batch", "2", "--json"])
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(rep.stdout.utf8)) as? [String: Any])
        let tokens = try XCTUnwrap(obj["tokens"] as? [[String]])
        XCTAssertEqual(tokens.count, 2)
        for t in tokens {
            XCTAssertEqual(t.count, 7)
            XCTAssertEqual(t[0], "<bos>")
            XCTAssertEqual(Array(t[1...3]), Array(t[4...6]))
        }
        XCTAssertEqual(try runner.run(["data", "ioi", "--n", "0"]).status, 64)
        XCTAssertEqual(try runner.run(["data", "bogus"]).status, 64)
    }
}
