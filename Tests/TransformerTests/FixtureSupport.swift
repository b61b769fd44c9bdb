// Shared helpers: fixture files and tolerant comparison.
import Foundation
import Tensor
import Transformer
import XCTest

enum Fixtures {
    /// The URL of a file in this target's Fixtures folder.
    static func url(_ name: String) throws -> URL {
        let dir = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "Fixtures folder missing")
        return dir.appendingPathComponent(name)
    }

    static func model(_ arch: String) throws -> HookedTransformer {
        try HookedTransformer(contentsOf: url("\(arch).model.safetensors"))
    }

    static func golden(_ arch: String) throws -> SafeTensorsFile {
        try SafeTensorsFile(contentsOf: url("\(arch).golden.safetensors"))
    }

    static let architectures = ["attn_only_shortformer", "attn_only_ln", "gpt2_style", "lnpre_mlp"]
}

/// Asserts equal shapes and elementwise closeness (equal infinities match).
func assertClose(_ actual: Tensor?, _ expected: Tensor, tolerance: Float = 1e-4, _ label: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    guard let actual else {
        XCTFail("\(label): missing", file: file, line: line)
        return
    }
    XCTAssertEqual(actual.shape, expected.shape, "\(label): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let diff = actual.maxAbsDifference(expected)
    XCTAssertLessThanOrEqual(diff, tolerance, "\(label): max |Δ| = \(diff)", file: file, line: line)
}

/// A temporary directory removed at the end of the test.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("interp-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
}
