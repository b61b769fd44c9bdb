// LayerNorm in TransformerLens's order, and the activation functions.
import Foundation
import Tensor
import XCTest

final class NormActivationTests: XCTestCase {
    func testLayerNormMatchesDoubleReference() throws {
        let row: [Float] = [1, 2, 4, 9]
        let t = try Tensor(shape: [1, 1, 4], scalars: row)
        let (normalized, scale) = t.layerNorm(eps: 1e-5)
        XCTAssertEqual(scale.shape, [1, 1, 1])
        let mean = row.map(Double.init).reduce(0, +) / 4
        let variance = row.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / 4
        let sd = (variance + 1e-5).squareRoot()
        XCTAssertEqual(Double(scale.item), sd, accuracy: 1e-5)
        for j in 0..<4 { XCTAssertEqual(Double(normalized[0, 0, j]), (Double(row[j]) - mean) / sd, accuracy: 1e-5) }
        // A given scale gives the same result as the computed one.
        XCTAssertLessThanOrEqual(t.layerNorm(scale: scale).maxAbsDifference(normalized), 1e-6)
        let affine = normalized.affine(weight: Tensor([1, 2, 3, 4]), bias: Tensor([0, 0, 1, 1]))
        XCTAssertEqual(affine[0, 0, 3], normalized[0, 0, 3] * 4 + 1, accuracy: 1e-6)
        XCTAssertLessThanOrEqual(affine.maxAbsDifference(normalized * Tensor([1, 2, 3, 4]) + Tensor([0, 0, 1, 1])), 1e-6)
    }

    func testGeluNewIsGPT2Formula() throws {
        let xs: [Float] = [-6, -2, -0.5, 0, 0.3, 1, 3, 8]
        let y = Tensor(xs).geluNew()
        for (i, x) in xs.enumerated() {
            let d = Double(x)
            let expected = 0.5 * d * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d)))
            XCTAssertEqual(Double(y[i]), expected, accuracy: 1e-6, "x = \(x)")
        }
    }

    func testExactGeluAndRelu() throws {
        let xs: [Float] = [-3, -1, 0, 0.5, 2]
        let g = Tensor(xs).gelu()
        for (i, x) in xs.enumerated() {
            XCTAssertEqual(Double(g[i]), 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot())), accuracy: 1e-6)
        }
        XCTAssertEqual(Tensor(xs).relu().scalars, [0, 0, 0, 0.5, 2])
    }
}
