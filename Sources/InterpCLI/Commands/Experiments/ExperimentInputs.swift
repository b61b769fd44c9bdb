// Inputs of the experiment commands: prompts, answer words, head lists, IOI pairs and datasets.
import ArgumentParser
import Foundation
import Interp
import TerminalUI
import Tensor
import Transformer

extension HookedTransformer {
    /// Token ids of `text` for the option `option` (`--text`, `--clean`, …), `<bos>` first unless
    /// `prependBOS` is false, checked against n_ctx. A text of no tokens is an error.
    func encodeOption(_ text: String, option: String, prependBOS: Bool = true) throws -> [Int] {
        let ids: [Int]
        do { ids = try tokenizer.encode(text, prependBOS: prependBOS) } catch { throw CLIError.usage("\(option): \(error.message)") }
        guard ids.count > (prependBOS ? 1 : 0) else { throw CLIError.usage("\(option): the prompt is empty") }
        guard ids.count <= config.nCtx else {
            throw CLIError.usage("\(option): \(ids.count) tokens is longer than the model's context of \(config.nCtx)")
        }
        return ids
    }

    /// The id of one token given for `option` (a vocabulary word; for GPT-2 a one-token text such as
    /// " Mary"), or an error naming the closest words or showing the split.
    func wordID(_ word: String, option: String) throws -> Int {
        do { return try tokenizer.answerID(word) } catch { throw CLIError.usage("\(option): \(error.message)") }
    }

    /// A list of heads given for `option` (`--heads 1.2,L0H3`), checked against the model; repeats count once.
    func headList(_ text: String, option: String) throws -> [HeadIndex] {
        do { return try HeadIndex.parseList(text, config: config) } catch { throw CLIError.usage("\(option): \(error.message)") }
    }

    /// Pairs from IOI data, re-tokenised with this model's vocabulary; `source` names them in errors.
    func promptPairs(_ pairs: [IOIPair], source: String) throws -> PromptPairs {
        var clean: [[Int]] = [], corrupted: [[Int]] = [], answers: [Int] = [], wrong: [Int] = []
        for (i, p) in pairs.enumerated() {
            let at = "\(source) pair \(i + 1)"
            clean.append(try encodeOption(p.clean.text, option: at))
            corrupted.append(try encodeOption(p.corrupted.text, option: at))
            // A name after a space is the token " Mary" for GPT-2's BPE.
            let space = tokenizer.isBytePair ? " " : ""
            answers.append(try wordID(space + p.answer, option: at))
            wrong.append(try wordID(space + p.wrong, option: at))
        }
        return try checkedPairs(clean: clean, corrupted: corrupted, answers: answers, wrong: wrong, source: source)
    }

    /// Text pairs tokenized by this model; pairs of another token length than the most common one
    /// are left out, with a note on stderr (Wang et al.'s IOI code keeps the most common length too).
    func promptPairs(text pairs: [TextPromptPair], source: String) throws -> PromptPairs {
        var encoded: [(clean: [Int], corrupted: [Int], answer: Int, wrong: Int)] = []
        for (i, p) in pairs.enumerated() {
            let at = "\(source) pair \(i + 1)"
            encoded.append((try encodeOption(p.clean, option: at), try encodeOption(p.corrupted, option: at),
                            try wordID(p.answer, option: at + " answer"), try wordID(p.wrong, option: at + " wrong")))
        }
        for (i, e) in encoded.enumerated() where e.clean.count != e.corrupted.count {
            throw CLIError.data("\(source): pair \(i + 1): clean has \(e.clean.count) tokens, corrupted has \(e.corrupted.count); they must have the same token length")
        }
        let counts = Dictionary(grouping: encoded, by: \.clean.count).mapValues(\.count)
        let length = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 0
        let kept = encoded.filter { $0.clean.count == length }
        if kept.count < encoded.count {
            RawOutput.stderr("note: \(source): kept the \(kept.count) of \(encoded.count) pairs that have \(length) tokens\n")
        }
        return try checkedPairs(clean: kept.map(\.clean), corrupted: kept.map(\.corrupted), answers: kept.map(\.answer),
                                wrong: kept.map(\.wrong), source: source)
    }

    /// The pairs, checked against each other and the vocabulary (Interp's one pair check).
    private func checkedPairs(clean: [[Int]], corrupted: [[Int]], answers: [Int], wrong: [Int], source: String) throws -> PromptPairs {
        do {
            return try PromptPairs(clean: clean, corrupted: corrupted, answers: answers, wrong: wrong, vocabulary: config.dVocabOut)
        } catch {
            throw CLIError.data("\(source): \(error.message)")
        }
    }
}

/// The options that choose prompt pairs for patching commands: a file, one explicit pair, or a
/// generated IOI dataset.
struct PairOptions: ParsableArguments {
    @Option(help: ArgumentHelp("JSONL file of prompt pairs (as 'data ioi --out' writes; text fields clean, corrupted, answer, wrong), or ioi-wang2022 (shipped, for GPT-2).", valueName: "F.jsonl")) var pairs: String?
    @Option(help: "A clean prompt (with --corrupt, --answer, --wrong).") var clean: String?
    @Option(help: "The corrupted prompt: same token length as --clean.") var corrupt: String?
    @Option(help: "The word the clean prompt should predict.") var answer: String?
    @Option(help: "The competing word (the corrupted prompt's answer).") var wrong: String?
    @Option(help: "Without --pairs/--clean: how many generated IOI pairs.") var n: Int = 50
    @Option(help: "Seed of the generated IOI pairs.") var seed: UInt64 = 1
    @Option(name: .customLong("corruption"), help: "Corruption of the generated pairs: abc (three new names) or flip (IO and S swapped).")
    var corruption: IOICorruption = .abc

    func load(_ model: HookedTransformer) throws -> PromptPairs {
        if let path = pairs {
            guard clean == nil, corrupt == nil else { throw CLIError.usage("give either --pairs or --clean/--corrupt, not both") }
            var url = URL(fileURLWithPath: path)
            if !FileManager.default.fileExists(atPath: url.path), !path.contains("/"), let shipped = ModelRegistry().dataset(path) {
                url = shipped                                   // a data file shipped with the models (ioi-wang2022)
            }
            guard FileManager.default.fileExists(atPath: url.path) else { throw CLIError.noInput("--pairs: \(path): no such file") }
            if model.tokenizer.isBytePair {
                let list: [TextPromptPair]
                do { list = try TextPairsFile.read(contentsOf: url) } catch { throw CLIError.data(error.message) }
                return try model.promptPairs(text: list, source: path)
            }
            let list: [IOIPair]
            do { list = try IOIPairsFile.read(contentsOf: url) } catch { throw CLIError.data(error.message) }
            return try model.promptPairs(list, source: path)
        }
        if clean != nil || corrupt != nil {
            guard let clean, let corrupt else { throw CLIError.usage("--clean and --corrupt go together") }
            guard let answer, let wrong else { throw CLIError.usage("--clean/--corrupt need --answer A and --wrong B") }
            let ids = (clean: try model.encodeOption(clean, option: "--clean"), corrupted: try model.encodeOption(corrupt, option: "--corrupt"),
                       answer: try model.wordID(answer, option: "--answer"), wrong: try model.wordID(wrong, option: "--wrong"))
            do {
                return try PromptPairs(clean: [ids.clean], corrupted: [ids.corrupted], answers: [ids.answer], wrong: [ids.wrong],
                                       vocabulary: model.config.dVocabOut)
            } catch {
                throw CLIError.usage("--clean/--corrupt: \(error.message)")
            }
        }
        guard n >= 1 && n <= 1000 else { throw CLIError.usage("--n must be between 1 and 1000 (got \(n))") }
        return try model.promptPairs(IOIData.pairs(n: n, seed: seed, corruption: corruption),
                                     source: "IOI pairs (--n \(n) --seed \(seed) --corrupt \(corruption.rawValue))")
    }
}

extension IOICorruption: ExpressibleByArgument {}
