// The one parser of head names: `1.2` and `L1H2` (any case), lists, repeats, ranges, ranking.
import Interp
import Tensor
import Transformer
import XCTest

final class HeadIndexTests: XCTestCase {
    func testBothNotationsParseToTheSameHead() {
        for text in ["1.2", "L1H2", "l1h2", "L1h2", " 1.2 ", "\tL1H2"] {
            XCTAssertEqual(HeadIndex(text), HeadIndex(1, 2), text)
        }
        XCTAssertEqual(HeadIndex("L10H11"), HeadIndex(10, 11))
        XCTAssertEqual(HeadIndex(1, 2).description, "1.2")
        XCTAssertEqual(HeadIndex(1, 2).label, "L1H2")
        for bad in ["", "1", "1.", ".2", "1.2.3", "L1", "H2", "L1H", "LH2", "1,2", "a.b", "-1.2", "1.-2", "L-1H2", "L1.2", "1.2x", "１.２"] {
            XCTAssertNil(HeadIndex(bad), bad)
        }
    }

    func testListsTakeCommasOrSpacesAndCountARepeatOnce() throws {
        let config = try ModelConfigFixture.small()          // 2 layers × 3 heads
        XCTAssertEqual(try HeadIndex.parseList("1.2, L0H0", config: config), [HeadIndex(1, 2), HeadIndex(0, 0)])
        XCTAssertEqual(try HeadIndex.parseList("l0h1 1.0\t0.2", config: config), [HeadIndex(0, 1), HeadIndex(1, 0), HeadIndex(0, 2)])
        XCTAssertEqual(try HeadIndex.parseList("0.0,0.0", config: config), [HeadIndex(0, 0)])
        XCTAssertEqual(try HeadIndex.parseList("1.1,0.0,L1H1,0.0", config: config), [HeadIndex(1, 1), HeadIndex(0, 0)])
        XCTAssertEqual(HeadIndex.unique([HeadIndex(1, 0), HeadIndex(0, 1), HeadIndex(1, 0)]), [HeadIndex(1, 0), HeadIndex(0, 1)])
    }

    func testListErrorsNameTheRangeAndNoFlag() throws {
        let config = try ModelConfigFixture.small()
        let cases = ["L2H0": "head 2.0 is outside the model: layers 0...1, heads 0...2",
                     "0.3": "head 0.3 is outside the model: layers 0...1, heads 0...2",
                     "1.x": "head '1.x' is not LAYER.HEAD (e.g. 1.2 or L1H2); layers 0...1, heads 0...2",
                     " , ": "no heads given: write LAYER.HEAD[,LAYER.HEAD…], e.g. 1.2,0.3"]
        for (text, message) in cases {
            XCTAssertThrowsError(try HeadIndex.parseList(text, config: config), text) { error in
                XCTAssertEqual((error as? AnalysisError)?.message, message)
                XCTAssertFalse("\(error)".contains("--"), "a library error names no CLI flag: \(error)")
            }
        }
        XCTAssertNoThrow(try HeadIndex(1, 2).check(in: config))
        XCTAssertThrowsError(try HeadIndex(1, 3).check(in: config))
    }

    func testRankingIsHighestFirstWithTiesInHeadOrder() throws {
        let scores = try Tensor(shape: [2, 3], scalars: [0.1, 0.9, 0.5, 0.9, 0.0, 0.5])
        let ranked = HeadIndex.ranked(scores)
        XCTAssertEqual(ranked.map(\.head), [HeadIndex(0, 1), HeadIndex(1, 0), HeadIndex(0, 2), HeadIndex(1, 2), HeadIndex(0, 0), HeadIndex(1, 1)])
        XCTAssertEqual(ranked.map(\.value), [0.9, 0.9, 0.5, 0.5, 0.1, 0.0])
        let best = HeadScores.best(scores)
        XCTAssertEqual([best.layer, best.head], [0, 1])
        XCTAssertEqual(HeadIndex.all(try ModelConfigFixture.small()).map(\.description), ["0.0", "0.1", "0.2", "1.0", "1.1", "1.2"])
    }
}
