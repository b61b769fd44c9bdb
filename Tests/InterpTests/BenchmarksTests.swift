// The benchmark suites run and report every figure (speed itself is not asserted).
import Foundation
import Interp
import Tensor
import Transformer
import XCTest

final class BenchmarksTests: XCTestCase {
    let tiny = BenchmarkOptions(secondsPerFigure: 0.001, warmup: 0,
                                reference: BenchmarkReference(source: "test", figures: ["forward.b1": 1.5, "train_step.b64x32": 30]))

    func testStandardSuiteReportsEveryFigureWithItsReference() throws {
        // A tiny model keeps the debug-build test fast; the figures themselves are not checked.
        let config = try ModelConfig(nLayers: 1, dModel: 8, nHeads: 2, dHead: 4, nCtx: 17, dVocab: 12, attnOnly: true,
                                     normalizationType: nil, positionalEmbeddingType: .shortformer)
        let model = try HookedTransformer.random(config: config, seed: 2)
        let rows = try Benchmarks.run(model: model, options: tiny, includeTraining: false)
        XCTAssertEqual(rows.map(\.id), ["sgemm", "forward.b1", "run_with_cache.b1", "backward_cache.b1",
                                        "forward.b64", "run_with_cache.b64", "backward_cache.b64", "resid_pre_sweep.b64",
                                        "alloc.run_with_cache.b1", "peak_rss"])
        XCTAssertEqual(Set(rows.map(\.id)).count, rows.count, "ids are unique")
        for row in rows where row.unit == "ms" {
            XCTAssertGreaterThan(row.value, 0, row.name)
            XCTAssertGreaterThanOrEqual(row.runs, 5, row.name)
            XCTAssertLessThanOrEqual(row.name.count, 44, "\(row.name) fits the report's name column")
        }
        let forward = try XCTUnwrap(rows.first { $0.id == "forward.b1" })
        XCTAssertEqual(forward.reference, 1.5)
        XCTAssertEqual(try XCTUnwrap(forward.speedup), 1.5 / forward.value, accuracy: 1e-9)
        XCTAssertNil(rows.first { $0.id == "forward.b64" }?.reference, "no reference figure, no reference")
        XCTAssertGreaterThan(try XCTUnwrap(rows.first { $0.unit == "GFLOP/s" }).value, 0)
        let bytes = try XCTUnwrap(rows.first { $0.unit == "bytes" })
        XCTAssertGreaterThan(bytes.value, 0)
        XCTAssertTrue(bytes.note?.contains("cache") ?? false)
        XCTAssertGreaterThan(try XCTUnwrap(rows.first { $0.unit == "MB" }).value, 0)
    }

    func testTrainingStepFigure() throws {
        let row = try Benchmarks.trainingStepRow(BenchmarkOptions(secondsPerFigure: 0.001, warmup: 0, reference: tiny.reference))
        XCTAssertEqual(row.id, "train_step.b64x32")
        XCTAssertEqual(row.reference, 30)
        XCTAssertGreaterThan(row.value, 0)
    }

    func testModelSuiteLoadsTheFileAndReportsItsMemory() throws {
        let config = try ModelConfig(nLayers: 2, dModel: 32, nHeads: 2, dHead: 16, nCtx: 24, dVocab: 50, dMLP: 64, actFn: .geluNew)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try HookedTransformer.random(config: config, seed: 4).save(to: url)
        let rows = try Benchmarks.runModel(file: url, tokens: 10, batch: 3, options: tiny)
        XCTAssertEqual(rows.map(\.id), ["model.load", "model.rss_ratio", "model.forward", "model.run_with_cache",
                                        "model.backward_cache", "peak_rss"])
        XCTAssertTrue(rows[2].name.contains("3 × 10 tokens"), rows[2].name)
        XCTAssertThrowsError(try Benchmarks.runModel(file: url, tokens: 25, batch: 1, options: tiny)) {
            XCTAssertTrue("\($0)".contains("context of 24"), "\($0)")
        }
    }

    func testReferenceJSONIsReadAndBadOnesNameTheFile() throws {
        let good = Data(#"{"machine": {"transformer_lens": "3.9.0", "torch": "2.15.0", "threads": 1, "cpu": "X", "date": "d"}, "figures": [{"id": "forward.b1", "ms": 1.25, "runs": 9}]}"#.utf8)
        let reference = try BenchmarkReference(json: good, source: "r.json")
        XCTAssertEqual(reference["forward.b1"], 1.25)
        XCTAssertEqual(reference.source, "TransformerLens 3.9.0, torch 2.15.0, 1 thread, X, d")
        let script = Data(#"{"machine": {}, "entries": [{"id": "forward.b64", "name": "n", "ms": 6.5, "min_ms": 6.1, "runs": 30}]}"#.utf8)
        XCTAssertEqual(try BenchmarkReference(json: script, source: "s.json")["forward.b64"], 6.5, "the script's own form")
        for bad in [#"[]"#, #"{"figures": [{"id": 3, "ms": 1}]}"#, #"{"figures": [{"id": "a", "ms": -1}]}"#, "not json"] {
            XCTAssertThrowsError(try BenchmarkReference(json: Data(bad.utf8), source: "r.json")) {
                XCTAssertTrue("\($0)".hasPrefix("r.json: "), "\($0)")
            }
        }
        XCTAssertNotNil(BenchmarkReference.bundled, "the shipped reference parses")
    }

    func testModelThatCannotTakeTheBatchIsRejected() throws {
        let config = try ModelConfig(nLayers: 1, dModel: 8, nHeads: 2, dHead: 4, nCtx: 8, dVocab: 10, attnOnly: true)
        let model = try HookedTransformer.random(config: config, seed: 1)
        XCTAssertThrowsError(try Benchmarks.run(model: model, options: .quick)) {
            XCTAssertTrue("\($0)".contains("n_ctx"), "\($0)")
        }
    }
}
