// The benchmark suite runs and reports every figure (speed itself is not asserted).
import Interp
import Tensor
import Transformer
import XCTest

final class BenchmarksTests: XCTestCase {
    func testQuickRunReportsEveryFigure() throws {
        // A tiny model keeps the debug-build test fast; the figures themselves are not checked.
        let config = try ModelConfig(nLayers: 1, dModel: 8, nHeads: 2, dHead: 4, nCtx: 17, dVocab: 12, attnOnly: true,
                                     normalizationType: nil, positionalEmbeddingType: .shortformer)
        let model = try HookedTransformer.random(config: config, seed: 2)
        let rows = try Benchmarks.run(model: model, options: BenchmarkOptions(secondsPerFigure: 0.001, warmup: 0))
        XCTAssertEqual(rows.count, 8)
        let timings = rows.filter { $0.unit == "ms" }
        XCTAssertEqual(timings.map(\.reference), [0.47, 1.0, 2.8, 4.9, 192])
        XCTAssertEqual(try Benchmarks.referenceConfig().nLayers, 3)
        for row in timings {
            XCTAssertGreaterThan(row.value, 0, row.name)
            XCTAssertGreaterThanOrEqual(row.runs, 5, row.name)
            XCTAssertNotNil(row.speedup)
        }
        let sgemm = try XCTUnwrap(rows.first { $0.unit == "GFLOP/s" })
        XCTAssertGreaterThan(sgemm.value, 0)
        let bytes = try XCTUnwrap(rows.first { $0.unit == "bytes" })
        XCTAssertGreaterThan(bytes.value, 0)
        XCTAssertTrue(bytes.note?.contains("cache") ?? false)
        XCTAssertGreaterThan(try XCTUnwrap(rows.first { $0.unit == "MB" }).value, 0)
    }

    func testModelThatCannotTakeTheBatchIsRejected() throws {
        let config = try ModelConfig(nLayers: 1, dModel: 8, nHeads: 2, dHead: 4, nCtx: 8, dVocab: 10, attnOnly: true)
        let model = try HookedTransformer.random(config: config, seed: 1)
        XCTAssertThrowsError(try Benchmarks.run(model: model, options: .quick)) {
            XCTAssertTrue("\($0)".contains("n_ctx"), "\($0)")
        }
    }
}
