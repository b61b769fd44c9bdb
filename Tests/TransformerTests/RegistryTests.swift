// ModelRegistry: listing, resolving names and paths, clear errors.
import Foundation
import Transformer
import XCTest

final class RegistryTests: XCTestCase {
    func testListResolveAndLoad() throws {
        let dir = try temporaryDirectory(self)
        let source = try Fixtures.url("attn_only_ln.model.safetensors")
        try FileManager.default.copyItem(at: source, to: dir.appendingPathComponent("tiny-ln.safetensors"))
        try Data().write(to: dir.appendingPathComponent("notes.txt"))
        let registry = ModelRegistry(directories: [dir, dir.appendingPathComponent("absent")])
        XCTAssertEqual(registry.list(), ["tiny-ln"])
        XCTAssertEqual(try registry.resolve("tiny-ln").lastPathComponent, "tiny-ln.safetensors")
        XCTAssertEqual(try registry.load("tiny-ln").config.modelName, "attn_only_ln")
        XCTAssertEqual(try registry.resolve(source.path), source)
        XCTAssertThrowsError(try registry.resolve("ioi-3l")) {
            XCTAssertEqual("\($0)", "no model named 'ioi-3l'; bundled models: tiny-ln")
        }
        XCTAssertThrowsError(try ModelRegistry(directories: []).resolve("x")) {
            XCTAssertEqual("\($0)", "no model named 'x'; bundled models: (none)")
        }
        XCTAssertThrowsError(try registry.resolve("./missing.safetensors")) {
            XCTAssertEqual("\($0)", "./missing.safetensors: no such file")
        }
        XCTAssertFalse(ModelRegistry.defaultDirectories.isEmpty)
    }
}
