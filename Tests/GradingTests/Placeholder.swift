import XCTest
final class GradingTestsPlaceholder: XCTestCase { func testBuilds() {} }
