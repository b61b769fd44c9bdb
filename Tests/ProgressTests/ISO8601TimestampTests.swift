import Foundation
import XCTest
@testable import Progress

final class ISO8601TimestampTests: XCTestCase {
    func testParsesZuluOffsetsAndFractions() throws {
        let noon = Date(timeIntervalSince1970: 1_669_725_000)  // 2022-11-29 12:30:00 UTC
        XCTAssertEqual(ISO8601Timestamp.parse("2022-11-29T12:30:00Z"), noon)
        XCTAssertEqual(ISO8601Timestamp.parse("2022-11-29t12:30:00z"), noon)
        XCTAssertEqual(ISO8601Timestamp.parse("2022-11-29 12:30:00Z"), noon)
        XCTAssertEqual(ISO8601Timestamp.parse("2022-11-29T13:30:00+01:00"), noon)
        XCTAssertEqual(ISO8601Timestamp.parse("2022-11-29T13:30:00+0100"), noon)
        XCTAssertEqual(ISO8601Timestamp.parse("2022-11-29T07:00:00-05:30"), noon)
        XCTAssertEqual(ISO8601Timestamp.parse("2022-11-29T14:30:00+02"), noon)
        let fraction = try XCTUnwrap(ISO8601Timestamp.parse("2022-11-29T12:30:00.250Z"))
        XCTAssertEqual(fraction.timeIntervalSince(noon), 0.25, accuracy: 1e-6)
        let micro = try XCTUnwrap(ISO8601Timestamp.parse("2022-11-29T12:30:00.000001Z"))
        XCTAssertEqual(micro.timeIntervalSince(noon), 1e-6, accuracy: 1e-7)
    }

    func testCalendarEdges() {
        XCTAssertEqual(ISO8601Timestamp.parse("1970-01-01T00:00:00Z"), Date(timeIntervalSince1970: 0))
        XCTAssertEqual(ISO8601Timestamp.parse("2000-03-01T00:00:00Z"), Date(timeIntervalSince1970: 951_868_800))
        XCTAssertEqual(ISO8601Timestamp.parse("2024-02-29T00:00:00Z"), Date(timeIntervalSince1970: 1_709_164_800))
        XCTAssertEqual(ISO8601Timestamp.parse("9999-12-31T23:59:59.999Z"), Date(timeIntervalSince1970: 253_402_300_799.999))
        XCTAssertNil(ISO8601Timestamp.parse("2023-02-29T00:00:00Z"))
        XCTAssertNil(ISO8601Timestamp.parse("1900-02-29T00:00:00Z"))
    }

    func testRejectsIncompleteOrInvalidText() {
        for text in ["", "2022-11-29", "2022-11-29T12:30:00", "2022-11-29T12:30Z", "2022-13-01T00:00:00Z",
                     "2022-11-31T00:00:00Z", "2022-11-29T24:00:00Z", "2022-11-29T12:60:00Z",
                     "2022-11-29T12:30:00.Z", "2022-11-29T12:30:00+25:00", "2022-11-29T12:30:00Z junk",
                     "22-11-29T12:30:00Z", "2022-11-29T12:30:00+01:6", "２０２２-11-29T12:30:00Z"] {
            XCTAssertNil(ISO8601Timestamp.parse(text), text)
        }
    }

    func testFormatsInUTCAndRoundTrips() throws {
        XCTAssertEqual(ISO8601Timestamp.string(from: Date(timeIntervalSince1970: 1_669_725_000)),
                       "2022-11-29T12:30:00Z")
        XCTAssertEqual(ISO8601Timestamp.string(from: Date(timeIntervalSince1970: 1_669_725_000.5)),
                       "2022-11-29T12:30:00.500Z")
        XCTAssertEqual(ISO8601Timestamp.string(from: Date(timeIntervalSince1970: -1)), "1969-12-31T23:59:59Z")
        XCTAssertEqual(ISO8601Timestamp.string(from: Date(timeIntervalSince1970: 253_402_300_799)), "9999-12-31T23:59:59Z")
        for seconds in stride(from: 0.0, to: 253_402_300_799, by: 1_234_567_890.123) {
            let date = Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000)
            let parsed = try XCTUnwrap(ISO8601Timestamp.parse(ISO8601Timestamp.string(from: date)))
            XCTAssertEqual(parsed.timeIntervalSince1970, date.timeIntervalSince1970, accuracy: 1e-6)
        }
    }

    func testOnlyTheYears1970Through9999AreSupported() {
        for text in ["99999-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "0000-01-01T00:00:00Z",
                     "1970-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "123456789012345-01-01T00:00:00Z"] {
            XCTAssertThrowsError(try ISO8601Timestamp.read(text), text) { error in
                XCTAssertEqual(error as? ISO8601Timestamp.Problem, .outOfRange, text)
            }
            XCTAssertNil(ISO8601Timestamp.parse(text), text)
        }
        for text in ["yesterday", "2024-02-30T00:00:00Z", "999-01-01T00:00:00Z", "2024-01-01"] {
            XCTAssertThrowsError(try ISO8601Timestamp.read(text), text) { error in
                XCTAssertEqual(error as? ISO8601Timestamp.Problem, .malformed, text)
            }
        }
        XCTAssertEqual(try ISO8601Timestamp.read("1970-01-01T01:00:00+01:00"), ISO8601Timestamp.earliest)
        XCTAssertTrue(ISO8601Timestamp.isSupported(ISO8601Timestamp.end.addingTimeInterval(-0.001)))
        XCTAssertFalse(ISO8601Timestamp.isSupported(ISO8601Timestamp.end))
        XCTAssertFalse(ISO8601Timestamp.isSupported(Date(timeIntervalSince1970: -1)))
    }
}
