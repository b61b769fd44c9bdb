import XCTest
final class ProgressTestsPlaceholder: XCTestCase { func testBuilds() {} }
