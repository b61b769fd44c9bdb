import ArgumentParser
import Foundation
import TerminalUI
import Transformer

struct TokensCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "How a model tokenizes a text: ids and string tokens (TL's to_tokens / to_str_tokens).",
        discussion: """
        GPT-2's byte-level BPE puts a word's leading space inside its token (" Mary"); <|endoftext|> \
        is prepended as TransformerLens's prepend_bos does (--no-bos leaves it out). The bundled models \
        split on whitespace and prepend <bos>.
        Example: tokens gpt2 --text "When Mary and John went to the store"
        """)

    @Argument(help: "Model name or path (default: the one 'set model' chose).") var model: String?
    @Option(help: "The text to tokenize (default: the one 'set text' chose).") var text: String?
    @Flag(name: .customLong("no-bos"), help: "Do not prepend the beginning-of-sequence token.") var noBOS = false
    @Flag(help: "Print JSON: {\"tokens\": [ids], \"str_tokens\": [...]}.") var json = false
    @OptionGroup var global: GlobalOptions

    struct Output: Encodable {
        var tokens: [Int]
        var strTokens: [String]
        enum CodingKeys: String, CodingKey { case tokens, strTokens = "str_tokens" }
    }

    func execute(in session: Session) throws {
        let loaded = try session.model(model)
        let t = loaded.model.tokenizer
        let input = try session.text(text)
        let ids: [Int]
        do { ids = try t.encode(input, prependBOS: !noBOS) } catch { throw CLIError.usage("--text: \(error.message)") }
        let strings = t.decode(ids)
        if json { return try session.printJSON(Output(tokens: ids, strTokens: strings)) }
        let rows = zip(ids, strings).enumerated().map { i, pair in
            ["\(i)", "\(pair.0)", TokenDisplay.token(pair.1, bytePair: t.isBytePair)]
        }
        session.out(TextTable(headers: ["pos", "id", "token"], rows: rows, alignments: [.right, .right, .left], boxed: false)
            .render(maxWidth: session.width, color: session.color))
        let context = ids.count > loaded.model.config.nCtx ? ", more than the context of \(loaded.model.config.nCtx)" : ""
        session.paragraph(session.style("\(Text.plural(ids.count, "token"))\(context) · \(t.summary)", .dim))
    }
}
