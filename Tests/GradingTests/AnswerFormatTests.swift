import Course
import Grading
import Interp
import XCTest

final class AnswerFormatTests: XCTestCase {
    func testHeadsAreOrderFreeAndAllowSpaces() throws {
        XCTAssertEqual(try Exercise.AnswerFormat.heads.parse(" 2.2, 1.0 "), .heads([HeadIndex(1, 0), HeadIndex(2, 2)]))
        XCTAssertEqual(try Exercise.AnswerFormat.heads.parse("1.0 1.0,2.2"), .heads([HeadIndex(1, 0), HeadIndex(2, 2)]))
    }

    func testLayerPositionForms() throws {
        XCTAssertEqual(try Exercise.AnswerFormat.layerPosition.parse("2:7"), .layerPosition(layer: 2, position: 7))
        XCTAssertEqual(try Exercise.AnswerFormat.layerPosition.parse("layer 2 pos 7"), .layerPosition(layer: 2, position: 7))
    }

    func testParseErrorsNameTheFormat() {
        XCTAssertThrowsError(try Exercise.AnswerFormat.heads.parse("1-2")) { error in
            XCTAssertTrue("\(error)".contains("LAYER.HEAD"), "\(error)")
        }
        XCTAssertThrowsError(try Exercise.AnswerFormat.layerPosition.parse("two"))
        XCTAssertThrowsError(try Exercise.AnswerFormat.number.parse("abc"))
        XCTAssertThrowsError(try Exercise.AnswerFormat.token.parse("two words"))
    }
}
