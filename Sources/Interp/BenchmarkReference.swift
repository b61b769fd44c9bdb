// The TransformerLens figures `interp bench` prints beside its own: measured by
// scripts/bench_reference.py on the same workloads, one thread, and read from its JSON.
import Foundation

/// TransformerLens timings of the benchmark workloads, by figure id (milliseconds).
public struct BenchmarkReference: Sendable, Equatable {
    /// Where the figures come from, for the report ("TransformerLens 3.9.0, torch 2.15.0, 1 thread, AMD EPYC, 2026-12-02").
    public var source: String
    /// Median milliseconds per figure id.
    public var figures: [String: Double]

    public init(source: String, figures: [String: Double]) {
        self.source = source
        self.figures = figures
    }

    /// The figure of `id`, if the reference has it.
    public subscript(id: String) -> Double? { figures[id] }

    /// Parses the JSON `scripts/bench_reference.py` writes: `{"machine": {...}, "entries": [{"id", "ms", ...}]}`
    /// (`"figures"` is read as a synonym, the name of the first hand-measured file).
    /// - Throws: `AnalysisError` naming `source` when the JSON does not have that form.
    public init(json data: Data, source label: String) throws(AnalysisError) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = (object["entries"] ?? object["figures"]) as? [[String: Any]] else {
            throw AnalysisError("\(label): not a benchmark reference (a JSON object with an \"entries\" array, as scripts/bench_reference.py writes)")
        }
        var figures: [String: Double] = [:]
        for (i, entry) in list.enumerated() {
            guard let id = entry["id"] as? String, let ms = (entry["ms"] as? NSNumber)?.doubleValue, ms.isFinite, ms > 0 else {
                throw AnalysisError("\(label): figure \(i) needs a string \"id\" and a positive number \"ms\"")
            }
            figures[id] = ms
        }
        let machine = object["machine"] as? [String: Any] ?? [:]
        let parts = [
            (machine["transformer_lens"] as? String).map { "TransformerLens \($0)" },
            (machine["torch"] as? String).map { "torch \($0)" },
            (machine["threads"] as? NSNumber).map { "\($0.intValue) thread\($0.intValue == 1 ? "" : "s")" },
            machine["cpu"] as? String,
            machine["date"] as? String,
        ].compactMap { $0 }
        self.init(source: parts.isEmpty ? label : parts.joined(separator: ", "), figures: figures)
    }

    /// The reference shipped with interp: TransformerLens measured on the machine this project is
    /// developed on (nil if the resource is missing).
    public static let bundled: BenchmarkReference? = {
        guard let url = Bundle.module.url(forResource: "bench_reference", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return nil }
        return try? BenchmarkReference(json: data, source: "bundled reference")
    }()
}
