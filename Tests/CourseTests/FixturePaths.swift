import Foundation
import XCTest

/// Locations of the test fixtures (copied into the test bundle by the package).
enum FixturePaths {
    static func directory(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let base = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil), file: file, line: line)
        return base.appendingPathComponent(name).path
    }

    static func text(_ relative: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let path = try directory(relative, file: file, line: line)
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}
