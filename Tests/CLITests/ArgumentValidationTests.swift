import Foundation
import XCTest

/// Arguments that name the wrong kind of thing are refused with one line and the documented status.
final class ArgumentValidationTests: XCTestCase {
    func testADatabaseThatIsAFIFOOrADeviceIsRefused() throws {
        let runner = try InterpRunner()
        let fifo = runner.home.appendingPathComponent("progress.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        for (path, kind) in [(fifo, "a FIFO"), ("/dev/null", "a character device"), ("/dev/zero", "a character device")] {
            for (arguments, environment) in [(["progress", "--db", path], [String: String]()), (["lessons"], ["INTERP_DB": path])] {
                let r = try runner.run(arguments, environment: environment, timeout: 20)
                XCTAssertFalse(r.timedOut, "\(path) blocked")
                XCTAssertEqual(r.status, 74, "\(path): \(r.stderr)")
                XCTAssertEqual(r.stderr, "interp: \(path): is \(kind), not a database file\n")
            }
        }
    }

    func testTimeLimitsMustBeAPositiveFiniteNumberOfSeconds() throws {
        let runner = try InterpRunner()
        for value in ["0", "-1", "nan", "inf", "-inf", "1e300"] {
            for command in ["check", "watch"] {
                let r = try runner.run([command, "logit-diff", "--time-limit=\(value)"], timeout: 20)
                XCTAssertEqual(r.status, 64, "\(command) --time-limit \(value): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains("--time-limit"), r.stderr)
                XCTAssertFalse(r.stderr.contains("Building"), "refused before any build")
            }
        }
    }

    func testUnknownExerciseIdsGiveTheSameStatusFromEveryCommand() throws {
        let runner = try InterpRunner()
        for command in [["ex", "show"], ["ex", "reset", "--yes"], ["hint"], ["check"], ["watch"]] {
            let r = try runner.run(command + ["previous-token-hed"], timeout: 60)
            XCTAssertEqual(r.status, 66, "\(command): \(r.stderr)")
            XCTAssertEqual(r.stderr, "interp: no exercise 'previous-token-hed'; did you mean 'previous-token-head'? (see 'ex')\n", "\(command)")
        }
        let answer = try runner.run(["answer", "previous-token-hed", "0.0"])
        XCTAssertEqual(answer.status, 66, answer.stderr)
        XCTAssertEqual(answer.stderr, "interp: no exercise 'previous-token-hed'; did you mean 'previous-token-head'? (see 'ex')\n")
    }
}
