// The shared vocabulary and the induction data generators.
import Tensor
import Transformer
import XCTest

final class DataVocabularyInductionTests: XCTestCase {
    func testVocabularyIsUniqueWordsWithSpecialsFirst() throws {
        let v = Vocabulary.shared
        XCTAssertEqual(v.count, 128)
        XCTAssertEqual(Set(v).count, v.count, "duplicate words")
        XCTAssertEqual(v[Vocabulary.bosID], "<bos>")
        XCTAssertEqual(v[Vocabulary.padID], "<pad>")
        XCTAssertNoThrow(try Tokenizer(vocab: v))
        // Fillers never appear in a template, so filler counts can be read back from a text.
        XCTAssertTrue(Set(Vocabulary.fillers).isDisjoint(with: Vocabulary.templateWords))
        for name in Vocabulary.names { XCTAssertEqual(try Tokenizer(vocab: v).encode(name, prependBOS: false).count, 1) }
    }

    func testInductionBatchCopiesOneSegment() {
        var rng = SeededRandom(seed: 7)
        let b = InductionData.batch(batch: 50, seqLen: 31, vocabSize: 128, rng: &rng)
        XCTAssertEqual(b.tokens.count, 50)
        for (seq, mask) in zip(b.tokens, b.repeatedMask) {
            XCTAssertEqual(seq.count, 32)
            XCTAssertEqual(mask.count, 32)
            XCTAssertEqual(seq[0], Vocabulary.bosID)
            XCTAssertTrue(seq.dropFirst().allSatisfy { $0 >= 2 && $0 < 128 })
            XCTAssertFalse(mask[0])
            // The masked run is one segment (length 2–15 after its unmasked first token) whose
            // tokens equal those one fixed distance earlier.
            let marked = mask.indices.filter { mask[$0] }
            XCTAssertTrue((2...15).contains(marked.count), "\(marked.count)")
            guard let first = marked.first, let last = marked.last else { continue }
            XCTAssertEqual(last - first + 1, marked.count, "masked positions are contiguous")
            let start = first - 1
            let distances = (1..<32).filter { d in d <= start - 1 && (start...last).allSatisfy { seq[$0] == seq[$0 - d] } }
            XCTAssertFalse(distances.isEmpty, "segment \(start)...\(last) is not a copy")
        }
    }

    func testInductionIsDeterministicAndClamped() {
        var a = SeededRandom(seed: 3), b = SeededRandom(seed: 3), c = SeededRandom(seed: 4)
        let x = InductionData.batch(batch: 4, seqLen: 20, vocabSize: 50, rng: &a)
        XCTAssertEqual(x, InductionData.batch(batch: 4, seqLen: 20, vocabSize: 50, rng: &b))
        XCTAssertNotEqual(x, InductionData.batch(batch: 4, seqLen: 20, vocabSize: 50, rng: &c))
        let tiny = InductionData.batch(batch: 0, seqLen: -3, vocabSize: 0, rng: &a)
        XCTAssertEqual(tiny.tokens.count, 1)
        XCTAssertEqual(tiny.tokens[0].count, 3)
    }

    func testRepeatedTokensAreBosThenTwoCopies() {
        var rng = SeededRandom(seed: 1)
        let r = InductionData.repeated(batch: 3, seqLen: 10, vocabSize: 128, rng: &rng)
        XCTAssertEqual(r.count, 3)
        for seq in r {
            XCTAssertEqual(seq.count, 21)
            XCTAssertEqual(seq[0], Vocabulary.bosID)
            XCTAssertEqual(Array(seq[1...10]), Array(seq[11...20]))
            XCTAssertTrue(seq.dropFirst().allSatisfy { $0 >= 2 })
        }
    }
}
