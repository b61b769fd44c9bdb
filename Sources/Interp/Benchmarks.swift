// The engine benchmark suite behind `interp bench`: timings of the standard workloads on the
// ioi-3l shape, of any model file on a chosen shape, sgemm rate, allocations and memory.
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
    /// A stable identifier of the figure (`forward.b1`, `train_step.b64x32`, …): the key of the
    /// TransformerLens reference measured on the same workload by `scripts/bench_reference.py`.
    public var id: String
    /// What was measured.
    public var name: String
    /// The figure: the median for timings.
    public var value: Double
    /// Unit of `value`: "ms", "GFLOP/s", "bytes", "MB" or "×".
    public var unit: String
    /// Timed repetitions after warm-up (0 for figures that are not timings).
    public var runs: Int
    /// TransformerLens on PyTorch CPU, one thread, on the same workload, where known (same unit).
    public var reference: Double?
    /// Extra context (for example the size of the cache the allocation figure compares with).
    public var note: String?

    public init(id: String, name: String, value: Double, unit: String, runs: Int, reference: Double? = nil, note: String? = nil) {
        self.id = id
        self.name = name
        self.value = value
        self.unit = unit
        self.runs = runs
        self.reference = reference
        self.note = note
    }

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
    /// TransformerLens figures to print beside ours (by figure id).
    public var reference: BenchmarkReference?

    public init(secondsPerFigure: Double = 1.0, warmup: Int = 3, seed: UInt64 = 0,
                reference: BenchmarkReference? = BenchmarkReference.bundled) {
        self.secondsPerFigure = secondsPerFigure
        self.warmup = warmup
        self.seed = seed
        self.reference = reference
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

    /// The standard suite, in report order: sgemm, forward / run_with_cache / backward cache at
    /// batch 1 and 64 (17 tokens), the patching sweeps, allocations, memory, the training step.
    ///
    /// - Parameter model: the model to time; a seeded random model of `referenceConfig()` when nil.
    ///   It needs n_ctx ≥ 17 and a vocabulary of at least 4 tokens.
    /// - Throws: `ModelError` when the model cannot take 17-token batches.
    public static func run(model given: HookedTransformer? = nil, options: BenchmarkOptions = BenchmarkOptions(),
                           includeTraining: Bool = true) throws -> [BenchmarkRow] {
        let model = try given ?? HookedTransformer.random(config: referenceConfig(), seed: options.seed, vocab: Vocabulary.shared)
        let c = model.config
        guard c.nCtx >= 17, c.dVocab >= 4 else {
            throw ModelError("bench needs a model with n_ctx ≥ 17 and d_vocab ≥ 4 (\(c.modelName) has \(c.nCtx), \(c.dVocab))")
        }
        var rng = SeededRandom(seed: options.seed &+ 1)
        let b1 = randomBatch(1, tokens: 17, vocab: c.dVocab, rng: &rng), b64 = randomBatch(64, tokens: 17, vocab: c.dVocab, rng: &rng)
        var rows: [BenchmarkRow] = [sgemmRow(options)]
        rows += try modelRows(model, tokens: b1, idSuffix: "b1", label: "1 × 17 tokens", options: options)
        rows += try modelRows(model, tokens: b64, idSuffix: "b64", label: "64 × 17 tokens", options: options)

        // resid_pre patching: corrupt three positions of every sequence; answer/wrong fixed per row.
        var corrupted = b64
        for b in 0..<corrupted.count { for p in [3, 7, 11] { corrupted[b][p] = rng.randint(1..<c.dVocab) } }
        let answers = (0..<64).map { _ in rng.randint(1..<c.dVocab) }
        let wrong = answers.map { $0 == c.dVocab - 1 ? 1 : $0 + 1 }
        var sweep = try time("resid_pre_sweep.b64", "resid_pre patching sweep, 64 × 17 tokens", slower(options)) {
            _ = try activationPatching(model: model, clean: b64, corrupted: corrupted, answers: answers, wrong: wrong)
        }
        sweep.note = "\(c.nLayers) layers × 17 positions patched one at a time"
        rows.append(sweep)
        rows += try ioiPatchingRows(model: model, options: options)

        let (cached, allocated) = try TensorAllocations.measure { try model.runWithCache(b1) }
        let cacheBytes = cached.cache.byteCount + cached.logits.count * MemoryLayout<Float>.stride
        rows.append(BenchmarkRow(
            id: "alloc.run_with_cache.b1", name: "bytes allocated by run_with_cache, 1 × 17", value: Double(allocated),
            unit: "bytes", runs: 1,
            note: String(format: "the cache and logits it returns hold %d bytes (%.2f×)", cacheBytes,
                         Double(allocated) / Double(max(cacheBytes, 1)))))
        if includeTraining { rows.append(try trainingStepRow(options)) }
        rows.append(BenchmarkRow(id: "peak_rss", name: "peak resident memory of the process", value: peakResidentMegabytes(),
                                 unit: "MB", runs: 0, note: "getrusage ru_maxrss"))
        return rows
    }

    /// Forward, run_with_cache (every hook) and the backward cache (every activation and the
    /// gradient of the next-token loss at every hook) on one token batch; ids `<figure>.<idSuffix>`.
    static func modelRows(_ model: HookedTransformer, tokens: [[Int]], idSuffix: String, label: String,
                          options: BenchmarkOptions) throws -> [BenchmarkRow] {
        let loss = NextTokenLoss(tokens: tokens)
        return [
            try time("forward.\(idSuffix)", "forward, \(label)", options) { _ = try model.forward(tokens) },
            try time("run_with_cache.\(idSuffix)", "run_with_cache, \(label)", options) { _ = try model.runWithCache(tokens) },
            try time("backward_cache.\(idSuffix)", "backward cache (loss), \(label)", options) {
                _ = try model.runWithGradients(tokens, metric: { logits throws in try loss(logits) })
            },
        ]
    }

    /// A model of the user's: load time and memory of its file (when given), then forward,
    /// run_with_cache and the backward cache on a random batch of `batch × tokens`. Reference ids
    /// are `model.<figure>` (the script's `--model FILE` run), or `gpt2.<figure>.b1x16` for a
    /// GPT-2-small-shaped model at batch 1 × 16.
    /// - Throws: `ModelError` when the shape does not fit the model or the file cannot be loaded.
    public static func runModel(file: URL?, model given: HookedTransformer? = nil, tokens: Int, batch: Int,
                                options: BenchmarkOptions = BenchmarkOptions()) throws -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        let model: HookedTransformer
        if let file {
            let bytes = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.doubleValue ?? 0
            let before = peakResidentMegabytes()
            let start = DispatchTime.now().uptimeNanoseconds
            model = try HookedTransformer(contentsOf: file)
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            rows.append(BenchmarkRow(id: "model.load", name: "load \(file.lastPathComponent) (memory-mapped, finite check)",
                                     value: ms, unit: "ms", runs: 1,
                                     note: String(format: "%.1f MB file; peak RSS %.1f MB before loading", bytes / 1_048_576, before)))
            _ = try model.forward([[0]])
            let peak = peakResidentMegabytes()
            rows.append(BenchmarkRow(id: "model.rss_ratio", name: "memory to load and run it ÷ file size",
                                     value: bytes > 0 ? (peak - before) * 1_048_576 / bytes : 0, unit: "×", runs: 1,
                                     note: String(format: "peak RSS %.1f MB after loading and one forward, %.1f MB before", peak, before)))
        } else if let given {
            model = given
        } else {
            throw ModelError("bench: no model to time")
        }
        let c = model.config
        guard tokens >= 1, tokens <= c.nCtx else { throw ModelError("bench: \(tokens) tokens do not fit the context of \(c.nCtx)") }
        guard batch >= 1, batch <= 4096 else { throw ModelError("bench: batch \(batch) is outside 1...4096") }
        var rng = SeededRandom(seed: options.seed &+ 2)
        let input = randomBatch(batch, tokens: tokens, vocab: c.dVocab, rng: &rng)
        let gpt2 = c.nLayers == 12 && c.dModel == 768 && c.nHeads == 12 && c.dMLP == 3072 && c.dVocab == 50257
            && tokens == 16 && batch == 1
        let timed = try modelRows(model, tokens: input, idSuffix: gpt2 ? "b1x16" : "model",
                                  label: "\(batch) × \(tokens) tokens", options: options)
        rows += timed.map { row in
            var r = row
            let figure = String(row.id.prefix { $0 != "." })
            r.id = gpt2 ? "gpt2.\(figure).b1x16" : "model.\(figure)"
            r.reference = options.reference?[r.id]
            return r
        }
        rows.append(BenchmarkRow(id: "peak_rss", name: "peak resident memory of the process", value: peakResidentMegabytes(),
                                 unit: "MB", runs: 0, note: "getrusage ru_maxrss"))
        return rows
    }

    /// `n` sequences of `<bos>` (id 0) and `tokens − 1` random ids.
    static func randomBatch(_ n: Int, tokens: Int, vocab: Int, rng: inout SeededRandom) -> [[Int]] {
        (0..<n).map { _ in [0] + (1..<max(tokens, 1)).map { _ in rng.randint(1..<max(vocab, 2)) } }
    }

    /// The resid_pre and head_out patching sweeps on 50 IOI pairs (clean vs. "abc" corruption).
    /// Skipped when the model's vocabulary is not the shared word vocabulary or its context is too
    /// short for the prompts.
    static func ioiPatchingRows(model: HookedTransformer, options: BenchmarkOptions) throws -> [BenchmarkRow] {
        let pairs = IOIData.pairs(n: 50, seed: 1, corruption: .abc)
        let c = model.config
        guard model.tokenizer.vocab == Vocabulary.shared, let length = pairs.first?.clean.tokens.count, length <= c.nCtx else {
            return []
        }
        let clean = pairs.map(\.clean.tokens), corrupted = pairs.map(\.corrupted.tokens)
        let answers = pairs.compactMap { Vocabulary.ids[$0.answer] }, wrong = pairs.compactMap { Vocabulary.ids[$0.wrong] }
        return try [PatchTarget.residPre, .headOut].map { target in
            let shape = target == .residPre ? "\(c.nLayers) layers × \(length) positions" : "\(c.nLayers) layers × \(c.nHeads) heads"
            var row = try time("\(target.rawValue)_sweep.ioi50", "\(target.rawValue) patching sweep, 50 IOI pairs", slower(options)) {
                _ = try activationPatching(model: model, clean: clean, corrupted: corrupted, answers: answers, wrong: wrong, target: target)
            }
            row.note = shape + " patched one at a time"
            return row
        }
    }

    /// Options for a long figure: three times the time, one warm-up.
    static func slower(_ options: BenchmarkOptions) -> BenchmarkOptions {
        var o = options
        o.secondsPerFigure *= 3
        o.warmup = 1
        return o
    }

    /// Median wall time of `body` in milliseconds, after warm-up, repeated for about the configured
    /// time; the reference is looked up by `id`.
    static func time(_ id: String, _ name: String, _ options: BenchmarkOptions,
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
        return BenchmarkRow(id: id, name: name, value: median, unit: "ms", runs: runs, reference: options.reference?[id])
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
        var plain = options
        plain.reference = nil
        // Timing never throws here.
        let row = (try? time("sgemm", "sgemm 256³", plain) { gemm() })
            ?? BenchmarkRow(id: "sgemm", name: "sgemm 256³", value: 0, unit: "ms", runs: 0)
        let gflops = row.value > 0 ? 2.0 * 256 * 256 * 256 / (row.value / 1e3) / 1e9 : 0
        var note = String(format: "median %.3f ms per call", row.value)
            + "; OpenBLAS \(BLAS.coreName) kernels, \(BLAS.threadCount) thread(s)"
        if let better = BLAS.preferredCoreType { note += "; this CPU could run OPENBLAS_CORETYPE=\(better)" }
        return BenchmarkRow(id: "sgemm", name: "sgemm 256³", value: gflops, unit: "GFLOP/s", runs: row.runs, note: note)
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
    /// tokens on the ioi-3l shape, from the ioi-3l recipe and seed `options.seed`.
    public static func trainingStepRow(_ options: BenchmarkOptions = BenchmarkOptions()) throws -> BenchmarkRow {
        var recipe = try TrainingRecipe.named("ioi-3l")
        recipe.task = .induction          // full 32-token sequences (IOI prompts are shorter and padded)
        recipe.batch = 64
        var trainer = try Trainer(recipe: recipe, seed: options.seed)
        return try time("train_step.b64x32", "training step (AdamW), 64 × 32 tokens", options) {
            try trainer.step()
        }
    }
}
