import ArgumentParser
import Foundation
import Tensor
import TerminalUI
import Transformer

struct GenerateCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt token by token (TL's generate), printing each token as it comes.",
        discussion: """
        --temperature 0 takes the most likely token every time (greedy); otherwise tokens are sampled \
        from the softmax at that temperature, among the --top-k most likely if given, from --seed. A \
        key/value cache makes each new token cost one position. GPT-2 stops after <|endoftext|>.
        Example: generate gpt2 --text "When Mary and John went to the store, John gave a drink to" --temperature 0
        """)

    @Argument(help: "Model name or path (default: the one 'set model' chose).") var model: String?
    @Option(help: "The prompt (default: the one 'set text' chose).") var text: String?
    @Option(name: .customLong("max-tokens"), help: "How many new tokens at most.") var maxTokens: Int = 20
    @Option(help: "Softmax temperature; 0 is greedy.") var temperature: Double = 1.0
    @Option(name: .customLong("top-k"), help: "Sample among the K most likely tokens only.") var topK: Int?
    @Option(help: "Seed of the sampler.") var seed: UInt64 = 0
    @Flag(name: .customLong("no-bos"), help: "Do not prepend the beginning-of-sequence token.") var noBOS = false
    @Flag(help: "Print JSON: prompt and new tokens, their strings, the text and why it stopped.") var json = false
    @OptionGroup var global: GlobalOptions

    struct Output: Encodable {
        var model: String
        var promptTokens: [Int]
        var tokens: [Int]
        var strTokens: [String]
        var text: String
        var stop: String
        enum CodingKeys: String, CodingKey {
            case model, promptTokens = "prompt_tokens", tokens, strTokens = "str_tokens", text, stop
        }
    }

    func execute(in session: Session) throws {
        guard maxTokens >= 1 && maxTokens <= 4096 else { throw CLIError.usage("--max-tokens must be between 1 and 4096 (got \(maxTokens))") }
        guard temperature >= 0 && temperature.isFinite else { throw CLIError.usage("--temperature must be a number ≥ 0 (got \(temperature))") }
        if let topK, topK < 1 { throw CLIError.usage("--top-k must be at least 1 (got \(topK))") }
        let loaded = try session.model(model)
        let m = loaded.model
        let prompt = try session.text(text)
        let ids = try m.promptIDs(prompt, prependBOS: !noBOS, room: 1)
        let options = GenerationOptions(maxNewTokens: maxTokens, temperature: temperature, topK: topK, seed: seed)
        var decoder = StreamingDecoder(tokenizer: m.tokenizer, continuing: true)
        if !json {
            let shown = m.tokenizer.isBytePair ? prompt : m.tokenizer.decodeText(Array(ids.dropFirst(noBOS ? 0 : 1)))
            session.out(session.style(TerminalText.block(shown), .dim), terminator: "")
        }
        let start = Date()
        let result = try m.generate(ids, options: options) { id in
            guard !json else { return }
            let piece = decoder.push(id)
            if !piece.isEmpty { session.out(TerminalText.block(piece), terminator: "") }
        }
        let seconds = Date().timeIntervalSince(start)
        if json {
            return try session.printJSON(Output(model: loaded.name, promptTokens: ids, tokens: result.tokens,
                                                strTokens: m.tokenizer.decode(result.tokens),
                                                text: m.tokenizer.decodeText(result.tokens),
                                                stop: result.stop.rawValue))
        }
        session.out(TerminalText.block(decoder.finish()))
        let why: String
        switch result.stop {
        case .maxTokens: why = "--max-tokens reached"
        case .endOfText: why = "end of text"
        case .contextFull: why = "the context is full"
        }
        session.paragraph(session.style("\(Text.plural(result.tokens.count, "token")) in " + String(format: "%.2f s (%.1f tokens/s)", seconds, Double(result.tokens.count) / max(seconds, 1e-9))
                                        + "; stopped: \(why)" + (temperature == 0 ? "; greedy" : "; temperature \(temperature), seed \(seed)"), .dim))
    }
}
