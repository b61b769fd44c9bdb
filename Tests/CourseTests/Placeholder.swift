import XCTest
final class CourseTestsPlaceholder: XCTestCase { func testBuilds() {} }
