// F16 and BF16 tensors are widened to F32 exactly (fixture written by PyTorch, scripts/gpt2_fixtures.py).
import Foundation
import Tensor
import XCTest

final class HalfPrecisionTests: XCTestCase {
    func testF16AndBF16ReadAsTheirExactFloat32Values() throws {
        let dir = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let url = dir.appendingPathComponent("half_precision.safetensors")
        for file in [try SafeTensorsFile(contentsOf: url),
                     try SafeTensorsFile(bytes: Array(Data(contentsOf: url)), source: url.path)] {
            for name in ["f16", "bf16"] {
                let half = try file.float32(name, source: "half")
                let exact = try file.float32(name + ".as_f32", source: "half")
                XCTAssertEqual(half.shape, exact.shape)
                for (a, b) in zip(half.scalars, exact.scalars) {
                    if b.isNaN { XCTAssertTrue(a.isNaN, name) } else { XCTAssertEqual(a.bitPattern, b.bitPattern, "\(name): \(a) vs \(b)") }
                }
            }
        }
    }

    func testF16SubnormalsAndSpecialsBitByBit() throws {
        // 0x0001 = 2^-24, 0x03FF largest subnormal, 0x0400 smallest normal, 0x7BFF = 65504, 0xFC00 = -inf.
        let halves: [UInt16] = [0x0001, 0x03FF, 0x0400, 0x7BFF, 0xFC00, 0x8000, 0x3C00]
        let expected: [Float] = [Float(sign: .plus, exponent: -24, significand: 1), 1023 * Float(sign: .plus, exponent: -24, significand: 1),
                                 Float(sign: .plus, exponent: -14, significand: 1), 65504, -.infinity, -0.0, 1]
        var bytes: [UInt8] = []
        for h in halves { bytes += [UInt8(h & 0xFF), UInt8(h >> 8)] }
        let header = Array(#"{"h":{"dtype":"F16","shape":[7],"data_offsets":[0,14]}}"#.utf8)
        var file: [UInt8] = []
        for k in 0..<8 { file.append(UInt8(truncatingIfNeeded: header.count >> (8 * k))) }
        file += header + bytes
        let t = try SafeTensorsFile(bytes: file, source: "mem").float32("h", source: "mem")
        XCTAssertEqual(t.scalars.map(\.bitPattern), expected.map(\.bitPattern))
    }
}
