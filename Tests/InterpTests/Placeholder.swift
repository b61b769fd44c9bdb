import XCTest
final class InterpTestsPlaceholder: XCTestCase { func testBuilds() {} }
