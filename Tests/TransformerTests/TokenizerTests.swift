// Word-level tokenizer: encode, decode, errors with suggestions.
import Transformer
import XCTest

final class TokenizerTests: XCTestCase {
    private let vocab = ["<bos>", "cat", "car", "cart", "river", "seven", "the"]

    func testEncodeAndDecode() throws {
        let t = try Tokenizer(vocab: vocab)
        XCTAssertEqual(try t.encode("the cat  river\tseven\n"), [0, 6, 1, 4, 5])
        XCTAssertEqual(try t.encode("cat cat", prependBOS: false), [1, 1])
        XCTAssertEqual(try t.encode(""), [0])
        XCTAssertEqual(t.decode([0, 3, 99, -1]), ["<bos>", "cart", "<unk:99>", "<unk:-1>"])
        XCTAssertEqual(t.decodeText([6, 1]), "the cat")
        XCTAssertEqual(t.id(of: "river"), 4)
        XCTAssertNil(t.id(of: "River"))
    }

    func testUnknownWordNamesItAndClosestWords() throws {
        let t = try Tokenizer(vocab: vocab)
        XCTAssertThrowsError(try t.encode("the caat sat")) { error in
            XCTAssertEqual("\(error)", "unknown word 'caat'; closest: cat, cart, car")
        }
        XCTAssertThrowsError(try t.encode("xylophone")) { XCTAssertEqual("\($0)", "unknown word 'xylophone'") }
    }

    func testMissingBOSAndBadVocabularies() throws {
        let t = try Tokenizer(vocab: ["a", "b"])
        XCTAssertThrowsError(try t.encode("a")) { XCTAssertTrue("\($0)".contains("no <bos> token")) }
        XCTAssertEqual(try t.encode("a b", prependBOS: false), [0, 1])
        XCTAssertThrowsError(try Tokenizer(vocab: ["a", "a"])) { XCTAssertTrue("\($0)".contains("appears twice")) }
        XCTAssertThrowsError(try Tokenizer(vocab: ["a b"])) { XCTAssertTrue("\($0)".contains("whitespace")) }
        XCTAssertThrowsError(try Tokenizer(vocab: [""])) { XCTAssertTrue("\($0)".contains("empty")) }
    }

    func testPlaceholderVocabulary() throws {
        XCTAssertEqual(Tokenizer.placeholderVocabulary(size: 3), ["<bos>", "t1", "t2"])
    }
}

final class TokenizerCaseTests: XCTestCase {
    func testWordsDifferingOnlyInCaseFindTheirUniqueToken() throws {
        let t = try Tokenizer(vocab: ["<bos>", "Mary", "when", "Apple", "apple"])
        XCTAssertEqual(try t.encode("mary WHEN Mary"), [0, 1, 2, 1])
        XCTAssertEqual(t.id(forWord: "MARY"), 1)
        XCTAssertEqual(t.id(forWord: "apple"), 4, "an exact match wins")
        XCTAssertNil(t.id(forWord: "APPLE"), "two tokens differ from it only in case: no guess")
        XCTAssertThrowsError(try t.encode("APPLE"))
    }
}
