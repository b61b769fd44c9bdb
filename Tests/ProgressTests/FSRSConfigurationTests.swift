import Foundation
import XCTest
@testable import Progress

final class FSRSConfigurationTests: XCTestCase {
    func testDefaultsAreTheFSRS6Weights() throws {
        let scheduler = try FSRSScheduler()
        XCTAssertEqual(scheduler.parameters.count, 21)
        XCTAssertEqual(scheduler.parameters.first, 0.212)
        XCTAssertEqual(scheduler.parameters.last, 0.1542)
        XCTAssertEqual(scheduler.desiredRetention, 0.9)
        XCTAssertEqual(scheduler.learningSteps, [60, 600])
        XCTAssertEqual(scheduler.relearningSteps, [600])
        XCTAssertEqual(scheduler.maximumInterval, 36_500)
        XCTAssertTrue(scheduler.enableFuzz)
    }

    func testRejectsBadConfigurationsWithOneLineMessages() {
        var weights = FSRSParameters.defaults
        weights[4] = 11
        let cases: [(() throws(FSRSConfigurationError) -> FSRSScheduler, FSRSConfigurationError, String)] = [
            ({ () throws(FSRSConfigurationError) in try FSRSScheduler(parameters: [1, 2]) },
             .parameterCount(2), "expected 21 weights, got 2"),
            ({ () throws(FSRSConfigurationError) in try FSRSScheduler(parameters: weights) },
             .parameterOutOfBounds(index: 4, value: 11, lower: 1, upper: 10), "w4 = 11.0 is outside [1.0, 10.0]"),
            ({ () throws(FSRSConfigurationError) in try FSRSScheduler(desiredRetention: 1) },
             .desiredRetention(1), "desired retention must be strictly between 0 and 1"),
            ({ () throws(FSRSConfigurationError) in try FSRSScheduler(maximumInterval: 0) },
             .maximumInterval(0), "maximum interval must be at least 1 day"),
            ({ () throws(FSRSConfigurationError) in try FSRSScheduler(learningSteps: [60, -5]) },
             .step(kind: "learning", value: -5), "learning steps must be positive"),
            ({ () throws(FSRSConfigurationError) in try FSRSScheduler(relearningSteps: [.nan]) },
             .step(kind: "relearning", value: .nan), "relearning steps must be positive"),
        ]
        for (make, expected, fragment) in cases {
            do {
                _ = try make()
                XCTFail("accepted \(expected)")
            } catch {
                if case .step(_, let value) = expected, value.isNaN {
                    XCTAssertTrue(error.description.contains("nan"), error.description)
                } else {
                    XCTAssertEqual(error, expected)
                }
                XCTAssertTrue(error.description.contains(fragment), error.description)
                XCTAssertFalse(error.description.contains("\n"))
            }
        }
    }

    func testRejectsNonFiniteWeights() {
        var weights = FSRSParameters.defaults
        weights[0] = .infinity
        XCTAssertThrowsError(try FSRSScheduler(parameters: weights))
    }
}
