import XCTest
@testable import Grading

/// The runtime's message is kept from every kind of trap the learner's code can hit.
final class CrashOutputTests: XCTestCase {
    func testFatalErrorsAndFailedPreconditionsKeepTheirMessage() {
        let cases = [
            ("Swift/ContiguousArrayBuffer.swift:600: Fatal error: Index out of range", "Index out of range"),
            ("LogitDiff/LogitDiff.swift:5: Precondition failed: the batch must not be empty", "the batch must not be empty"),
            ("LogitDiff/LogitDiff.swift:7: Assertion failed: shapes differ", "shapes differ"),
        ]
        for (line, message) in cases {
            let output = "chatter\n\(line)\n\n*** Signal 4: Backtracing from 0x7f… done ***\n"
            XCTAssertEqual(CrashOutput.parse(output, learnerFile: nil).fatalError, message, line)
        }
        XCTAssertNil(CrashOutput.parse("*** Signal 11: Backtracing ***\n", learnerFile: nil).fatalError)
    }
}
