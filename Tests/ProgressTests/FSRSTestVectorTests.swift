import Foundation
import XCTest
@testable import Progress

/// py-fsrs's published test vector and two variants of it. Reference rows: py-fsrs 6.3.2 through
/// scripts/fsrs_reference.py (reviewed goldens).
final class FSRSTestVectorTests: XCTestCase {
    func testPublishedVectorIntervals() throws {
        let results = reviewAtDueTimes(try unfuzzedScheduler(), vectorRatings)
        XCTAssertEqual(results.map { $0.1.scheduledDays }, [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21])
    }

    func testPublishedVectorMatchesPyFSRS() throws {
        let reference: [ReferenceRow] = [
            (.learning, 1, 2.306500, 2.118104, 600),
            (.review, nil, 2.306500, 2.111214, 172_800),
            (.review, nil, 10.971048, 2.104331, 950_400),
            (.review, nil, 46.316858, 2.097455, 3_974_400),
            (.review, nil, 162.999816, 2.090586, 14_083_200),
            (.review, nil, 497.876555, 2.083724, 43_027_200),
            (.relearning, 0, 6.890413, 7.383202, 600),
            (.relearning, 0, 2.154598, 9.125105, 600),
            (.review, nil, 2.154598, 9.111208, 172_800),
            (.review, nil, 3.983123, 9.097325, 345_600),
            (.review, nil, 7.236254, 9.083456, 604_800),
            (.review, nil, 12.483044, 9.069601, 1_036_800),
            (.review, nil, 20.770357, 9.055760, 1_814_400),
        ]
        assertMatches(reviewAtDueTimes(try unfuzzedScheduler(), vectorRatings), reference)
    }

    func testDesiredRetentionChangesIntervals() throws {
        let reference: [ReferenceRow] = [
            (.learning, 1, 2.306500, 2.118104, 600),
            (.review, nil, 2.306500, 2.111214, 691_200),
            (.review, nil, 22.784052, 2.104331, 6_566_400),
            (.review, nil, 158.302248, 2.097455, 45_360_000),
            (.review, nil, 838.533187, 2.090586, 240_278_400),
            (.review, nil, 3570.056662, 2.083724, 1_022_803_200),
            (.relearning, 0, 14.967977, 7.383202, 600),
            (.relearning, 0, 4.447490, 9.125105, 600),
            (.review, nil, 4.447490, 9.111208, 1_296_000),
            (.review, nil, 11.862805, 9.097325, 3_369_600),
            (.review, nil, 28.563827, 9.083456, 8_208_000),
            (.review, nil, 63.761637, 9.069601, 18_230_400),
            (.review, nil, 132.812977, 9.055760, 38_016_000),
        ]
        assertMatches(reviewAtDueTimes(try unfuzzedScheduler(desiredRetention: 0.8), vectorRatings), reference)
    }

    func testMaximumIntervalCapsEveryReviewInterval() throws {
        let reference: [ReferenceRow] = [
            (.learning, 1, 2.306500, 2.118104, 600),
            (.review, nil, 2.306500, 2.111214, 172_800),
            (.review, nil, 10.971048, 2.104331, 950_400),
            (.review, nil, 46.316858, 2.097455, 2_592_000),
            (.review, nil, 130.998142, 2.090586, 2_592_000),
            (.review, nil, 214.469117, 2.083724, 2_592_000),
            (.relearning, 0, 4.549826, 7.383202, 600),
            (.relearning, 0, 1.462098, 9.125105, 600),
            (.review, nil, 1.498332, 9.111208, 86_400),
            (.review, nil, 2.552080, 9.097325, 259_200),
            (.review, nil, 5.058842, 9.083456, 432_000),
            (.review, nil, 9.012847, 9.069601, 777_600),
            (.review, nil, 15.504944, 9.055760, 1_382_400),
        ]
        let results = reviewAtDueTimes(try unfuzzedScheduler(maximumInterval: 30), vectorRatings)
        assertMatches(results, reference)
        XCTAssertLessThanOrEqual(results.map { $0.1.scheduledDays }.max() ?? 0, 30)
    }
}
