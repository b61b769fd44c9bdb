import Tensor
import Transformer
import XCTest

/// A stop request (Ctrl-C in the CLI) ends the next forward pass with `CancellationError`.
final class CancellationTests: XCTestCase {
    override func tearDown() {
        Cancellation.probe = nil
        super.tearDown()
    }

    func testForwardThrowsCancellationOnceRequestedAndRunsAgainAfter() throws {
        let model = try Fixtures.model("attn_only_shortformer")
        XCTAssertNoThrow(try model.forward([[0, 1, 2]]))
        Cancellation.probe = { true }
        XCTAssertThrowsError(try model.forward([[0, 1, 2]])) { XCTAssertTrue($0 is CancellationError, "\($0)") }
        Cancellation.probe = { false }
        XCTAssertNoThrow(try model.forward([[0, 1, 2]]))
    }
}
