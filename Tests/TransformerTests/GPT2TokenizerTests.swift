// GPT-2's byte-level BPE against `tokenizers` (goldens from scripts/gpt2_fixtures.py).
import Foundation
import Transformer
import XCTest

final class GPT2TokenizerTests: XCTestCase {
    struct Golden: Decodable { var text: String; var ids: [Int]; var str_tokens: [String] }

    static func tokenizer() throws -> BytePairTokenizer {
        let dir = try Fixtures.url("gpt2-tiny")
        return try BytePairTokenizer.load(vocab: dir.appendingPathComponent("vocab.json"),
                                          merges: dir.appendingPathComponent("merges.txt"))
    }

    static func goldens() throws -> [Golden] {
        try JSONDecoder().decode([Golden].self, from: Data(contentsOf: Fixtures.url("gpt2_tokenizer.golden.json")))
    }

    func testIdsAndStringTokensEqualTokenizersOnEveryGoldenString() throws {
        let t = try Self.tokenizer()
        let goldens = try Self.goldens()
        XCTAssertGreaterThanOrEqual(goldens.count, 200)
        var failures = 0
        for g in goldens {
            let ids = try t.encode(g.text, prependBOS: false)
            if ids != g.ids {
                failures += 1
                XCTFail("\(g.text.debugDescription): ids \(ids), tokenizers \(g.ids)")
                continue
            }
            XCTAssertEqual(t.decode(ids), g.str_tokens, g.text.debugDescription)
            XCTAssertEqual(t.decodeText(ids), g.text, "round trip of \(g.text.debugDescription)")
        }
        XCTAssertEqual(failures, 0)
    }

    func testBOSIsEndOfTextPrependedLikeTransformerLens() throws {
        let t = try Self.tokenizer()
        let eot = try XCTUnwrap(t.id(of: "<|endoftext|>"))
        XCTAssertEqual(eot, t.vocab.count - 1, "the fixture keeps <|endoftext|> last, as GPT-2 does")
        XCTAssertEqual(t.bosID, eot)
        XCTAssertEqual(t.eosID, eot)
        let text = "When Mary and John went to the store, John gave a drink to"
        XCTAssertEqual(try t.encode(text), [eot] + (try t.encode(text, prependBOS: false)))
        XCTAssertEqual(try t.encode("", prependBOS: true), [eot])
    }

    func testPretokenizationCoversTheTextAndFollowsGPT2sPattern() throws {
        func pieces(_ s: String) -> [String] { ByteLevel.pretokenize(s).map { String(String.UnicodeScalarView($0)) } }
        XCTAssertEqual(pieces("Hello  world's"), ["Hello", " ", " world", "'s"])
        XCTAssertEqual(pieces(" \n\n y"), [" \n\n", " y"])
        XCTAssertEqual(pieces("a\u{00A0}x"), ["a", "\u{00A0}", "x"])
        XCTAssertEqual(pieces("x 's"), ["x", " '", "s"])
        XCTAssertEqual(pieces("DON'T"), ["DON", "'", "T"])
        XCTAssertEqual(pieces("abc123 4.5!!"), ["abc", "123", " 4", ".", "5", "!!"])
        XCTAssertEqual(pieces("end   "), ["end", "   "])
        for g in try Self.goldens() {
            XCTAssertEqual(pieces(g.text).joined(), g.text)
        }
    }

    func testByteTableMapsEveryByteToOnePrintableCharacter() {
        XCTAssertEqual(Set(ByteLevel.byteToCharacter).count, 256)
        XCTAssertEqual(ByteLevel.byteToCharacter[0x20], "Ġ")
        XCTAssertEqual(ByteLevel.byteToCharacter[0x0A], "Ċ")
        XCTAssertEqual(ByteLevel.byteToCharacter[Int(UInt8(ascii: "A"))], "A")
        XCTAssertEqual(ByteLevel.decode(ByteLevel.encode(Array(0...255))), Array(0...255))
        XCTAssertNil(ByteLevel.decode("\u{4E00}"))
    }

    func testAnswersAreOneTokenWithTheirLeadingSpace() throws {
        let t = Tokenizer(try Self.tokenizer())
        let mary = try t.answerID(" Mary")
        XCTAssertEqual(t.decode([mary]), [" Mary"])
        XCTAssertEqual(t.id(forWord: "ĠMary"), mary, "the vocabulary's own spelling works too")
        XCTAssertThrowsError(try t.answerID(" Mary and John")) { error in
            XCTAssertEqual("\(error)", "' Mary and John' is 3 tokens, [ Mary] [ and] [ John]; an answer must be one token (such as ' Mary')")
        }
        XCTAssertThrowsError(try t.answerID("")) { XCTAssertEqual("\($0)", "the answer is empty") }
    }

    func testMetadataRoundTripRebuildsTheSameTokenizer() throws {
        let t = Tokenizer(try Self.tokenizer())
        let metadata = t.metadata
        XCTAssertNotNil(metadata["tokenizer"])
        let rebuilt = try Tokenizer(vocab: t.vocab, metadata: metadata)
        XCTAssertEqual(rebuilt, t)
        XCTAssertTrue(rebuilt.isBytePair)
        let words = try Tokenizer(vocab: ["<bos>", "a"], metadata: [:])
        XCTAssertFalse(words.isBytePair, "no tokenizer entry: word-level, as the bundled models")
        XCTAssertThrowsError(try Tokenizer(vocab: t.vocab, metadata: ["tokenizer": #"{"type": "sentencepiece", "merges": [], "special_tokens": []}"#])) {
            XCTAssertTrue("\($0)".contains("type 'sentencepiece' is not supported"), "\($0)")
        }
    }

    func testBadFilesAreNamedWithTheLine() throws {
        let dir = try temporaryDirectory(self)
        let source = try Fixtures.url("gpt2-tiny")
        let vocab = source.appendingPathComponent("vocab.json")
        let merges = dir.appendingPathComponent("merges.txt")
        try "#version: 0.2\nĠ t\nbad line here\n".write(to: merges, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try BytePairTokenizer.load(vocab: vocab, merges: merges)) {
            XCTAssertEqual("\($0)", "\(merges.path):3: expected two tokens separated by one space")
        }
        try "#version: 0.2\nĠ t\nzz qq\n".write(to: merges, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try BytePairTokenizer.load(vocab: vocab, merges: merges)) {
            XCTAssertEqual("\($0)", "\(merges.path): merges: merge 2 'zz qq' uses a token the vocabulary lacks")
        }
        let missing = dir.appendingPathComponent("absent.txt")
        XCTAssertThrowsError(try BytePairTokenizer.load(vocab: vocab, merges: missing)) {
            XCTAssertEqual("\($0)", "\(missing.path): missing or not readable")
        }
        let badVocab = dir.appendingPathComponent("vocab.json")
        try "[1, 2]".write(to: badVocab, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try BytePairTokenizer.load(vocab: badVocab, merges: source.appendingPathComponent("merges.txt"))) {
            XCTAssertEqual("\($0)", "\(badVocab.path): not a JSON object of token → id")
        }
    }
}
