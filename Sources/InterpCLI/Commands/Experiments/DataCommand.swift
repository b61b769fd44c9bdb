import ArgumentParser
import Foundation
import Tensor
import TerminalUI
import Transformer

struct DataCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Generate datasets: IOI prompt pairs or repeated random tokens.",
        discussion: """
        data ioi --n 50 --seed 1 [--corrupt abc|flip] [--out F.jsonl]: clean/corrupted IOI pairs that \
        share one structure (names at the same positions); 'patch --pairs F.jsonl' reads the file.
        data repeated --seq-len N --batch B [--seed S]: ARENA's [bos, r, r] sequences.
        """)

    enum Kind: String, ExpressibleByArgument, CaseIterable { case ioi, repeated }

    @Argument(help: "ioi or repeated.") var kind: Kind
    @Option(help: "IOI: number of pairs.") var n: Int = 50
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "IOI: abc (three new names) or flip (IO and S swapped).") var corrupt: IOICorruption = .abc
    @Option(help: "IOI: write the pairs as JSONL to this file.") var out: String?
    @Option(name: .customLong("seq-len"), help: "repeated: length of the repeated segment r.") var seqLen: Int = 10
    @Option(help: "repeated: number of sequences.") var batch: Int = 4
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    struct Repeated: Encodable { var tokens: [[String]]; var ids: [[Int]] }

    func execute(in session: Session) throws {
        switch kind {
        case .ioi:
            guard n >= 1 && n <= 10_000 else { throw CLIError.usage("--n must be between 1 and 10000 (got \(n))") }
            let pairs = IOIData.pairs(n: n, seed: seed, corruption: corrupt)
            if let out {
                do { try IOIPairsFile.write(pairs, to: URL(fileURLWithPath: out)) } catch { throw CLIError.io("--out: \(error.message)") }
                if !json { session.err("wrote \(pairs.count) pairs to \(out)") }
            }
            if json { return try session.printJSON(pairs) }
            if out != nil { return }
            let rows = pairs.prefix(20).enumerated().map { i, p in
                ["\(i + 1)", p.clean.text, p.corrupted.text, p.answer, p.wrong]
            }
            session.out(TextTable(headers: ["#", "clean", "corrupted", "answer", "wrong"], rows: rows, boxed: false)
                .render(maxWidth: session.width, color: session.color))
            if pairs.count > 20 { session.note("… \(pairs.count - 20) more; --out F.jsonl writes them all") }
        case .repeated:
            guard seqLen >= 1 && seqLen <= 512, batch >= 1 && batch <= 1024 else {
                throw CLIError.usage("--seq-len must be 1...512 and --batch 1...1024")
            }
            var rng = SeededRandom(seed: seed)
            let ids = InductionData.repeated(batch: batch, seqLen: seqLen, vocabSize: Vocabulary.shared.count, rng: &rng)
            let words = ids.map { $0.map { Vocabulary.shared[$0] } }
            if json { return try session.printJSON(Repeated(tokens: words, ids: ids)) }
            for line in words { session.out(line.joined(separator: " ")) }
        }
    }
}
