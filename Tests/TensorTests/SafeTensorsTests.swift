// safetensors: round trips, atomic writes, and one test per malformed-file failure mode.
import Foundation
import Tensor
import XCTest

final class SafeTensorsTests: XCTestCase {
    /// A file from a header string and data bytes (header length written as given unless overridden).
    private func file(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        let n = length ?? UInt64(h.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + h + data
    }

    /// Asserts that parsing fails with a one-line error naming the file and containing `phrase`.
    private func assertRejected(_ bytes: [UInt8], _ phrase: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensorsFile(bytes: bytes, source: "bad.safetensors"), file: file, line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("bad.safetensors: "), text, file: file, line: line)
            XCTAssertTrue(text.contains(phrase), "'\(text)' lacks '\(phrase)'", file: file, line: line)
            XCTAssertFalse(text.contains("\n"), file: file, line: line)
        }
    }

    private let f32x2 = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#

    func testRoundTripAllDTypesAndMetadata() throws {
        var original = SafeTensorsFile()
        original.tensors["weights"] = .float32(try Tensor(shape: [2, 3], scalars: [1, -2, 3.5, .infinity, -.infinity, 0]))
        original.tensors["tokens"] = .int64([0, 5, -7, Int64.max], shape: [2, 2])
        original.tensors["ids32"] = .int32([3, Int32.min], shape: [2])
        original.tensors["empty"] = .float32(Tensor.zeros([0, 4]))
        original.metadata = ["config": #"{"n_layers": 2, "quote": "\"x\"\n"}"#, "vocab": "[\"<bos>\", \"é\"]"]
        let bytes = original.serialized()
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(headerLength % 8, 0, "header padded to 8 bytes")
        let parsed = try SafeTensorsFile(bytes: bytes, source: "mem")
        XCTAssertEqual(parsed, original)
        XCTAssertEqual(try parsed.integers("tokens", source: "mem").values, [0, 5, -7, Int.max])
        XCTAssertEqual(try parsed.integers("ids32", source: "mem").shape, [2])
        XCTAssertThrowsError(try parsed.float32("tokens", source: "mem")) { XCTAssertTrue("\($0)".contains("expected F32")) }
        XCTAssertThrowsError(try parsed.integers("weights", source: "mem")) { XCTAssertTrue("\($0)".contains("expected I32 or I64")) }
        XCTAssertThrowsError(try parsed.float32("nope", source: "mem")) { XCTAssertEqual("\($0)", "mem: missing tensor 'nope'") }
    }

    func testUnpaddedHeaderAndEmptyFileAreValid() throws {
        let bytes = file(f32x2, data: [0, 0, 128, 63, 0, 0, 0, 64])   // 1.0, 2.0 little-endian
        XCTAssertEqual(try SafeTensorsFile(bytes: bytes, source: "x").float32("a", source: "x").scalars, [1, 2])
        XCTAssertEqual(try SafeTensorsFile(bytes: file("{}"), source: "x").tensors.count, 0)
    }

    func testFileWriteIsAtomicAndReadable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("t.safetensors")
        let content = SafeTensorsFile(tensors: ["x": .float32(Tensor([1, 2, 3]))], metadata: ["k": "v"])
        try content.write(to: url)
        try SafeTensorsFile(tensors: ["x": .float32(Tensor([4]))]).write(to: url)   // replace
        XCTAssertEqual(try SafeTensorsFile(contentsOf: url).float32("x", source: "t").scalars, [4])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["t.safetensors"], "no temporary files left")
        XCTAssertThrowsError(try content.write(to: dir.appendingPathComponent("missing/t.safetensors"))) {
            XCTAssertTrue("\($0)".contains("missing/t.safetensors: cannot write"), "\($0)")
        }
        XCTAssertThrowsError(try SafeTensorsFile(contentsOf: dir.appendingPathComponent("none.safetensors"))) {
            XCTAssertTrue("\($0)".hasSuffix("none.safetensors: no such file"), "\($0)")
        }
        XCTAssertThrowsError(try SafeTensorsFile(contentsOf: dir)) { XCTAssertTrue("\($0)".contains("is a directory")) }
    }

    // MARK: - One test per failure mode

    func testTruncatedBeforeHeaderLength() { assertRejected([1, 0, 0], "truncated: 3 bytes") }

    func testTruncatedHeader() { assertRejected(file(f32x2, length: 500), "truncated: header length 500") }

    func testAbsurdHeaderLength() { assertRejected(file("{}", length: 1 << 40), "is absurd") }

    func testHeaderNotJSON() { assertRejected(file("{\"a\": nope}"), "header is not valid JSON") }

    func testHeaderInvalidUTF8() { assertRejected([7, 0, 0, 0, 0, 0, 0, 0] + Array("{\"".utf8) + [0xFF, 0xFE] + Array("\":1}".utf8), "not valid JSON") }

    func testHeaderNotAnObject() { assertRejected(file("[1, 2]"), "header is an array, not a JSON object") }

    func testDeeplyNestedHeaderIsRejectedNotCrashing() {
        assertRejected(file(String(repeating: "[", count: 100_000)), "nesting deeper than")
    }

    func testDuplicateTensorName() {
        assertRejected(file(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}"#),
                       "duplicate key")
    }

    func testEntryNotAnObject() { assertRejected(file(#"{"a": 3}"#), "tensor 'a': entry is a number") }

    func testMissingFields() {
        assertRejected(file(#"{"a":{"shape":[2],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)), "missing field 'dtype'")
        assertRejected(file(#"{"a":{"dtype":"F32","data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)), "missing field 'shape'")
        assertRejected(file(#"{"a":{"dtype":"F32","shape":[2]}}"#, data: Array(repeating: 0, count: 8)), "missing field 'data_offsets'")
    }

    func testUnknownDType() {
        assertRejected(file(#"{"a":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
                       "unknown dtype 'Q7'")
    }

    func testUnsupportedDType() {
        assertRejected(file(#"{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
                       "dtype F64 is not supported (F32, F16, BF16, I32, I64)")
    }

    func testShapeSizeMismatch() {
        assertRejected(file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
                       "shape [3] of F32 needs 12 bytes but data_offsets [0, 8] span 8")
    }

    func testHugeShapeOverflowIsRejected() {
        assertRejected(file(#"{"a":{"dtype":"F32","shape":[4611686018427387904, 8],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
                       "is too large")
    }

    func testOffsetsOutOfRange() {
        assertRejected(file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: Array(repeating: 0, count: 8)),
                       "data_offsets [4, 12] out of range (data section is 8 bytes)")
    }

    func testOverlappingRanges() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        assertRejected(file(header, data: Array(repeating: 0, count: 12)), "tensors 'a' and 'b' have overlapping data ranges")
    }

    func testGapBetweenRanges() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        assertRejected(file(header, data: Array(repeating: 0, count: 12)), "gap of 4 bytes before tensor 'b'")
    }

    func testTrailingBytes() { assertRejected(file(f32x2, data: Array(repeating: 0, count: 10)), "2 trailing bytes") }

    func testNegativeNumber() {
        assertRejected(file(#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
                       "'shape' holds negative number -2")
    }

    func testNonIntegerNumber() {
        assertRejected(file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8.5]}}"#, data: Array(repeating: 0, count: 8)),
                       "'data_offsets' holds non-integer number 8.5")
        assertRejected(file(#"{"a":{"dtype":"F32","shape":[2e0],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
                       "non-integer number 2e0")
    }

    func testOffsetsWrongCountOrReversed() {
        assertRejected(file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8]}}"#, data: Array(repeating: 0, count: 8)),
                       "data_offsets must hold 2 integers")
        assertRejected(file(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, data: Array(repeating: 0, count: 8)),
                       "end before they begin")
    }

    func testMetadataMustMapStringsToStrings() {
        assertRejected(file(#"{"__metadata__":{"k":1}}"#), "__metadata__ entry 'k' is a number, not a string")
        assertRejected(file(#"{"__metadata__":[]}"#), "__metadata__ is an array, not an object")
    }
}
