import XCTest
final class TransformerTestsPlaceholder: XCTestCase { func testBuilds() {} }
