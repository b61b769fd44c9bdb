// IOI prompts, pairs and the JSONL pair file.
import Foundation
import Tensor
import Transformer
import XCTest

final class DataIOITests: XCTestCase {
    func testPromptsAreConsistent() throws {
        var rng = SeededRandom(seed: 11)
        let prompts = IOIData.prompts(n: 400, rng: &rng)
        let tokenizer = try Tokenizer(vocab: Vocabulary.shared)
        var orders = Set<String>(), templates = Set<Int>(), ioPositions = Set<Int>(), lengths = Set<Int>()
        for p in prompts {
            XCTAssertEqual(try tokenizer.encode(p.text), p.tokens)
            XCTAssertLessThanOrEqual(p.tokens.count, 32)
            XCTAssertNotEqual(p.io, p.s)
            let words = tokenizer.decode(p.tokens)
            guard let io = p.positions["IO"], let s1 = p.positions["S1"], let s2 = p.positions["S2"], let end = p.positions["END"] else {
                return XCTFail("missing positions in \(p.positions)")
            }
            XCTAssertEqual(words[io], p.io)
            XCTAssertEqual(words[s1], p.s)
            XCTAssertEqual(words[s2], p.s)
            XCTAssertEqual(end, p.tokens.count - 1)
            XCTAssertTrue(s1 < s2 && io < s2)
            XCTAssertEqual(p.order == "ABBA", io < s1)
            // Exactly three names; the answer appears once.
            XCTAssertEqual(words.filter { Vocabulary.names.contains($0) }.count, 3)
            orders.insert(p.order); templates.insert(p.template); ioPositions.insert(io); lengths.insert(p.tokens.count)
        }
        XCTAssertEqual(orders, ["ABBA", "BABA"])
        XCTAssertEqual(templates.count, IOIData.templateCount)
        XCTAssertGreaterThan(ioPositions.count, 8, "fillers should move the names around")
        XCTAssertGreaterThan(lengths.count, 8)
        XCTAssertLessThanOrEqual(IOIData.maxTokens, 32)
    }

    func testPairsShareOneStructure() throws {
        for corruption in IOICorruption.allCases {
            let pairs = IOIData.pairs(n: 30, seed: 5, corruption: corruption)
            XCTAssertEqual(pairs.count, 30)
            XCTAssertEqual(pairs, IOIData.pairs(n: 30, seed: 5, corruption: corruption))
            let first = pairs[0].clean
            XCTAssertGreaterThan(Set(pairs.map(\.clean.text)).count, 25, "contents vary")
            for pair in pairs {
                XCTAssertEqual(pair.clean.positions, first.positions)
                XCTAssertEqual(pair.corrupted.positions, first.positions)
                XCTAssertEqual(pair.clean.tokens.count, pair.corrupted.tokens.count)
                XCTAssertEqual(pair.clean.template, first.template)
                XCTAssertEqual(pair.answer, pair.clean.io)
                XCTAssertEqual(pair.wrong, pair.clean.s)
                let clean = pair.clean.text.split(separator: " "), bad = pair.corrupted.text.split(separator: " ")
                let changed = clean.indices.filter { clean[$0] != bad[$0] }.map { $0 + 1 }
                switch corruption {
                case .flip:
                    XCTAssertEqual(pair.corrupted.io, pair.clean.s)
                    XCTAssertEqual(pair.corrupted.s, pair.clean.io)
                    XCTAssertEqual(Set(changed), Set([first.positions["IO"], first.positions["S1"], first.positions["S2"]].compactMap { $0 }))
                case .abc:
                    let names = Set([pair.corrupted.text.split(separator: " ")].flatMap { $0 }.map(String.init).filter { Vocabulary.names.contains($0) })
                    XCTAssertEqual(names.count, 3, "three distinct names")
                    XCTAssertTrue(names.isDisjoint(with: [pair.clean.io, pair.clean.s]))
                    XCTAssertEqual(changed.count, 3)
                }
            }
        }
    }

    func testParsingRecoversEveryPrompt() throws {
        var rng = SeededRandom(seed: 2)
        for p in IOIData.prompts(n: 300, rng: &rng) {
            XCTAssertEqual(try IOIData.prompt(parsing: p.text), p)
        }
        XCTAssertThrowsError(try IOIData.prompt(parsing: "when Mary and Xavier went")) {
            XCTAssertTrue("\($0)".hasPrefix("unknown word 'Xavier'"), "\($0)")
        }
        let loose = try IOIData.prompt(parsing: "Mary and John had fun , John gave it to")
        XCTAssertEqual(loose.template, -1)
        XCTAssertEqual(loose.positions, ["IO": 1, "S1": 3, "S2": 7, "END": 10])
        XCTAssertEqual(loose.io, "Mary")
    }

    func testPairsFileRoundTripsAndReportsErrors() throws {
        for corruption in IOICorruption.allCases {
            let pairs = IOIData.pairs(n: 12, seed: 9, corruption: corruption)
            let text = IOIPairsFile.encode(pairs)
            XCTAssertEqual(text.split(separator: "\n").count, 12)
            XCTAssertEqual(try IOIPairsFile.decode(text, source: "p.jsonl"), pairs)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ioi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("pairs.jsonl")
        let pairs = IOIData.pairs(n: 3, seed: 1, corruption: .abc)
        try IOIPairsFile.write(pairs, to: url)
        XCTAssertEqual(try IOIPairsFile.read(contentsOf: url), pairs)

        let good = #"{"clean":"when Mary and John went to the store , John gave a ball to","corrupted":"when Anna and Bob went to the store , Tom gave a ball to","answer":"Mary","wrong":"John"}"#
        XCTAssertEqual(try IOIPairsFile.decode(good + "\n\n", source: "f").count, 1)
        func message(_ text: String) -> String {
            do { _ = try IOIPairsFile.decode(text, source: "f.jsonl"); return "no error" } catch { return error.message }
        }
        XCTAssertEqual(message(good + "\n{\"clean\": 3}"), "f.jsonl:2: expected a JSON object with string fields clean, corrupted, answer, wrong")
        XCTAssertTrue(message(good.replacingOccurrences(of: "Anna", with: "Zed")).hasPrefix("f.jsonl:1: unknown word 'Zed'"))
        XCTAssertEqual(message(good.replacingOccurrences(of: "a ball to\",\"answer", with: "a ball so to\",\"answer")),
                       "f.jsonl:1: clean prompt has 15 tokens, corrupted 16; they must be equal")
        XCTAssertEqual(message(good.replacingOccurrences(of: "\"Mary\"}", with: "\"Mary Ann\"}").replacingOccurrences(of: "\"answer\":\"Mary\"", with: "\"answer\":\"Mary Ann\"")),
                       "f.jsonl:1: answer 'Mary Ann' is not one word of the vocabulary")
        XCTAssertEqual(message("\n"), "f.jsonl: no pairs")
        XCTAssertThrowsError(try IOIPairsFile.read(contentsOf: dir.appendingPathComponent("absent.jsonl")))
    }
}

final class DataIOICorruptionTests: XCTestCase {
    func testOneSeedGivesTheSameCleanPromptsForEveryCorruption() {
        let abc = IOIData.pairs(n: 20, seed: 5, corruption: .abc)
        let flip = IOIData.pairs(n: 20, seed: 5, corruption: .flip)
        XCTAssertEqual(abc.map(\.clean.text), flip.map(\.clean.text))
        XCTAssertNotEqual(abc.map(\.corrupted.text), flip.map(\.corrupted.text))
    }
}
