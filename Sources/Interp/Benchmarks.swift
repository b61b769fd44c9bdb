// The engine benchmark suite behind `interp bench`: timings, sgemm rate, allocation and memory.
import Foundation
import Tensor
import Transformer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of the benchmark report.
public struct BenchmarkRow: Sendable, Codable, Equatable {
    /// What was measured.
    public var name: String
    /// The figure: the median for timings.
    public var value: Double
    /// Unit of `value`: "ms", "GFLOP/s", "bytes" or "MB".
    public var unit: String
    /// Timed repetitions after warm-up (0 for figures that are not timings).
    public var runs: Int
    /// TransformerLens 3 on PyTorch CPU, one thread, on the target machine, where known (same unit).
    public var reference: Double?
    /// Extra context (for example the size of the cache the allocation figure compares with).
    public var note: String?

    /// How many times faster than the reference (reference / value), for timings with a reference.
    public var speedup: Double? {
        guard unit == "ms", let reference, value > 0 else { return nil }
        return reference / value
    }
}

/// Settings of a benchmark run.
public struct BenchmarkOptions: Sendable {
    /// Approximate time spent per timed figure, in seconds.
    public var secondsPerFigure: Double
    /// Warm-up repetitions before timing.
    public var warmup: Int
    /// Seed of the random model and token batches.
    public var seed: UInt64

    public init(secondsPerFigure: Double = 1.0, warmup: Int = 3, seed: UInt64 = 0) {
        self.secondsPerFigure = secondsPerFigure
        self.warmup = warmup
        self.seed = seed
    }

    /// A fast configuration for smoke tests (few runs; figures are noisy).
    public static let quick = BenchmarkOptions(secondsPerFigure: 0.05, warmup: 1)
}

/// The benchmark suite of the engine.
public enum Benchmarks {
    /// The ioi-3l shape: 3 layers, d_model 64, 4 heads of 16, attention-only, no norm, shortformer,
    /// n_ctx 32, d_vocab 128.
    public static func referenceConfig() throws -> ModelConfig {
        try ModelConfig(nLayers: 3, dModel: 64, nHeads: 4, dHead: 16, nCtx: 32, dVocab: 128, attnOnly: true,
                        normalizationType: nil, positionalEmbeddingType: .shortformer, modelName: "bench-3l")
    }

    /// Runs every figure and returns the rows in report order.
    ///
    /// - Parameter model: the model to time; a seeded random model of `referenceConfig()` when nil.
    ///   It needs n_ctx ≥ 17 and a vocabulary of at least 4 tokens.
    /// - Throws: `ModelError` when the model cannot take 17-token batches.
    public static func run(model given: HookedTransformer? = nil, options: BenchmarkOptions = BenchmarkOptions()) throws -> [BenchmarkRow] {
        let model = try given ?? HookedTransformer.random(config: referenceConfig(), seed: options.seed, vocab: Vocabulary.shared)
        let c = model.config
        guard c.nCtx >= 17, c.dVocab >= 4 else {
            throw ModelError("bench needs a model with n_ctx ≥ 17 and d_vocab ≥ 4 (\(c.modelName) has \(c.nCtx), \(c.dVocab))")
        }
        var rng = SeededRandom(seed: options.seed &+ 1)
        func batch(_ n: Int) -> [[Int]] {
            (0..<n).map { _ in [0] + (1..<17).map { _ in rng.randint(1..<c.dVocab) } }
        }
        let b1 = batch(1), b64 = batch(64)
        var rows: [BenchmarkRow] = []

        rows.append(sgemmRow(options))
        rows.append(try time("forward, batch 1 × 17 tokens", reference: 0.47, options) { _ = try model.forward(b1) })
        rows.append(try time("run_with_cache (all hooks), batch 1", reference: 1.0, options) { _ = try model.runWithCache(b1) })
        rows.append(try time("forward, batch 64 × 17 tokens", reference: 2.8, options) { _ = try model.forward(b64) })
        rows.append(try time("run_with_cache (all hooks), batch 64", reference: 4.9, options) { _ = try model.runWithCache(b64) })

        // resid_pre patching: corrupt three positions of every sequence; answer/wrong fixed per row.
        var corrupted = b64
        for b in 0..<corrupted.count { for p in [3, 7, 11] { corrupted[b][p] = rng.randint(1..<c.dVocab) } }
        let answers = (0..<64).map { _ in rng.randint(1..<c.dVocab) }
        let wrong = answers.map { $0 == c.dVocab - 1 ? 1 : $0 + 1 }
        rows.append(try time("resid_pre patching sweep (\(c.nLayers) layers × 17 positions), batch 64", reference: 192,
                             BenchmarkOptions(secondsPerFigure: options.secondsPerFigure * 3, warmup: 1, seed: options.seed)) {
            _ = try activationPatching(model: model, clean: b64, corrupted: corrupted, answers: answers, wrong: wrong)
        })

        rows += try ioiPatchingRows(model: model, options: options)

        let (cached, allocated) = try TensorAllocations.measure { try model.runWithCache(b1) }
        let cacheBytes = cached.cache.byteCount + cached.logits.count * MemoryLayout<Float>.stride
        rows.append(BenchmarkRow(
            name: "tensor bytes allocated by a cached batch-1 forward", value: Double(allocated), unit: "bytes", runs: 1,
            reference: nil,
            note: String(format: "the cache and logits it returns hold %d bytes (%.2f×)", cacheBytes,
                         Double(allocated) / Double(max(cacheBytes, 1)))))
        rows.append(BenchmarkRow(name: "peak resident memory of the process", value: peakResidentMegabytes(), unit: "MB",
                                 runs: 0, reference: nil, note: "getrusage ru_maxrss"))
        return rows
    }

    /// The resid_pre and head_out patching sweeps on 50 IOI pairs (clean vs. "abc" corruption), the
    /// issue's speed target (< 100 ms each). Skipped when the model's vocabulary is not the shared word
    /// vocabulary or its context is too short for the prompts.
    static func ioiPatchingRows(model: HookedTransformer, options: BenchmarkOptions) throws -> [BenchmarkRow] {
        let pairs = IOIData.pairs(n: 50, seed: 1, corruption: .abc)
        let c = model.config
        guard model.tokenizer.vocab == Vocabulary.shared, let length = pairs.first?.clean.tokens.count, length <= c.nCtx else {
            return []
        }
        let clean = pairs.map(\.clean.tokens), corrupted = pairs.map(\.corrupted.tokens)
        let answers = pairs.compactMap { Vocabulary.ids[$0.answer] }, wrong = pairs.compactMap { Vocabulary.ids[$0.wrong] }
        let slow = BenchmarkOptions(secondsPerFigure: options.secondsPerFigure * 3, warmup: 1, seed: options.seed)
        return try [PatchTarget.residPre, .headOut].map { target in
            let shape = target == .residPre ? "\(c.nLayers) layers × \(length) positions" : "\(c.nLayers) layers × \(c.nHeads) heads"
            return try time("\(target.rawValue) patching sweep (\(shape)), 50 IOI pairs", reference: nil, slow) {
                _ = try activationPatching(model: model, clean: clean, corrupted: corrupted, answers: answers, wrong: wrong, target: target)
            }
        }
    }

    /// Median wall time of `body` in milliseconds, after warm-up, repeated for about the configured time.
    static func time(_ name: String, reference: Double?, _ options: BenchmarkOptions,
                     _ body: () throws -> Void) throws -> BenchmarkRow {
        for _ in 0..<max(options.warmup, 0) { try body() }
        let probeStart = DispatchTime.now().uptimeNanoseconds
        try body()
        let probe = Double(DispatchTime.now().uptimeNanoseconds - probeStart) / 1e9
        let runs = min(max(Int(options.secondsPerFigure / max(probe, 1e-7)), 5), 2000)
        var samples = [Double]()
        samples.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        samples.sort()
        let median = samples.count % 2 == 1 ? samples[samples.count / 2]
            : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
        return BenchmarkRow(name: name, value: median, unit: "ms", runs: runs, reference: reference, note: nil)
    }

    /// sgemm GFLOP/s at 256³ (the ceiling every other figure reads against).
    static func sgemmRow(_ options: BenchmarkOptions) -> BenchmarkRow {
        var rng = SeededRandom(seed: 7)
        let a = Tensor.randomUniform([256, 256], low: -1, high: 1, using: &rng)
        let b = Tensor.randomUniform([256, 256], low: -1, high: 1, using: &rng)
        var c = Tensor.zeros([256, 256])
        func gemm() {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        guard let x = pa.baseAddress, let y = pb.baseAddress, let z = pc.baseAddress else { return }
                        BLAS.sgemm(m: 256, n: 256, k: 256, a: x, lda: 256, b: y, ldb: 256, c: z, ldc: 256)
                    }
                }
            }
        }
        // Timing never throws here.
        let row = (try? time("sgemm 256³", reference: nil, options) { gemm() })
            ?? BenchmarkRow(name: "sgemm 256³", value: 0, unit: "ms", runs: 0)
        let gflops = row.value > 0 ? 2.0 * 256 * 256 * 256 / (row.value / 1e3) / 1e9 : 0
        var note = String(format: "median %.3f ms per call", row.value)
            + "; OpenBLAS \(BLAS.coreName) kernels, \(BLAS.threadCount) thread(s)"
        if let better = BLAS.preferredCoreType { note += "; this CPU could run OPENBLAS_CORETYPE=\(better)" }
        return BenchmarkRow(name: "sgemm 256³", value: gflops, unit: "GFLOP/s", runs: row.runs, reference: nil, note: note)
    }

    /// Peak resident set size of this process in MB (getrusage).
    public static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
        let who = RUSAGE_SELF.rawValue
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        #if os(Linux)
        return Double(usage.ru_maxrss) / 1024         // kilobytes on Linux
        #else
        return Double(usage.ru_maxrss) / 1_048_576    // bytes on Darwin
        #endif
    }
}

// MARK: - Training

extension Benchmarks {
    /// One AdamW training step (forward, backward on the tape, clipping, update) at batch 64 × 32
    /// tokens on the ioi-3l shape, from the ioi-3l recipe and seed `options.seed`. PyTorch on one
    /// CPU thread takes 17.6 ms for the same step on the target machine.
    public static func trainingStepRow(_ options: BenchmarkOptions = BenchmarkOptions()) throws -> BenchmarkRow {
        var recipe = try TrainingRecipe.named("ioi-3l")
        recipe.task = .induction          // full 32-token sequences (IOI prompts are shorter and padded)
        recipe.batch = 64
        var trainer = try Trainer(recipe: recipe, seed: options.seed)
        return try time("training step (AdamW), batch 64 × 32 tokens, ioi-3l shape", reference: 17.6, options) {
            try trainer.step()
        }
    }
}
