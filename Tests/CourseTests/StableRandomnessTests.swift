import XCTest
@testable import Course

final class StableRandomnessTests: XCTestCase {
    func testSplitMix64MatchesThePublishedSequence() {
        // The first output of SplitMix64 seeded with 0, as published with the algorithm.
        var generator = SplitMix64(seed: 0)
        XCTAssertEqual(generator.next(), 0xE220_A839_7B1D_CDAF)
    }

    func testFNV1aMatchesTheReferenceValues() {
        XCTAssertEqual(StableHash.fnv1a(""), 0xCBF2_9CE4_8422_2325)
        XCTAssertEqual(StableHash.fnv1a("a"), 0xAF63_DC4C_8601_EC8C)
    }
}
