import Foundation
import Interp
import Tensor
import XCTest

final class AnalysisResultTests: XCTestCase {
    func testJSONShapeIsNestedAndLabelled() throws {
        let r = AnalysisResult(kind: "k", model: "m", axes: ["layer", "head"],
                               values: try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, .nan]),
                               labels: ["head": ["a", "b", "c"]], extra: ["baseline": .number(1.5), "kind": .string("ignored")])
        let data = try JSONEncoder().encode(r)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(obj["kind"] as? String, "k")
        XCTAssertEqual(obj["model"] as? String, "m")
        XCTAssertEqual(obj["shape"] as? [Int], [2, 3])
        XCTAssertEqual(obj["axes"] as? [String], ["layer", "head"])
        XCTAssertEqual(obj["labels"] as? [String: [String]], ["layer": ["0", "1"], "head": ["a", "b", "c"]])
        XCTAssertEqual(obj["values"] as? [[Double]], [[0, 1, 2], [3, 4, 0]])       // NaN has no JSON form
        XCTAssertEqual(obj["baseline"] as? Double, 1.5)
        XCTAssertEqual(r.matrix[0], [0, 1, 2])
        XCTAssertTrue(r.matrix[1][2].isNaN)
    }

    func testLabelledMatrixOfAHeadGrid() throws {
        let m = LabelledMatrix.heads(try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))
        XCTAssertEqual(m.rowLabels, ["L0", "L1"])
        XCTAssertEqual(m.columnLabels, ["H0", "H1", "H2"])
        XCTAssertEqual(m.rows, [[0, 1, 2], [3, 4, 5]])
        XCTAssertEqual(LabelledMatrix(Tensor([7, 8]), rowLabels: ["r"], columnLabels: ["a", "b"]).rows, [[7, 8]])
    }

    func testHeadListParsing() throws {
        let config = try ModelConfigFixture.small()
        XCTAssertEqual(try HeadIndex.parseList("1.2, 0.0", config: config), [HeadIndex(1, 2), HeadIndex(0, 0)])
        for bad in ["1.9", "3.0", "1", "a.b", ""] {
            XCTAssertThrowsError(try HeadIndex.parseList(bad, config: config), bad) {
                XCTAssertTrue("\($0)".contains("layers 0...1") || "\($0)".contains("no heads"), "\($0)")
            }
        }
    }
}

import Transformer

enum ModelConfigFixture {
    static func small() throws -> ModelConfig {
        try ModelConfig(nLayers: 2, dModel: 8, nHeads: 3, dHead: 2, nCtx: 8, dVocab: 10, attnOnly: true, normalizationType: nil)
    }
}
