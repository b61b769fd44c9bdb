import XCTest
import Course

final class PresentationTests: XCTestCase {
    private func question(_ kind: Question.Kind, id: String = "demo.q") -> Question {
        Question(id: id, lesson: "demo", difficulty: .easy, tags: ["t"], prompt: "P", explanation: "E", kind: kind)
    }

    private let choices = ["v", "w", "x", "y", "z"]

    func testSameSeedSameOrderAndOrderIsAPermutation() {
        let q = question(.single(choices: choices, answer: 2))
        for seed: UInt64 in [0, 1, 42, .max] {
            let p = q.presentation(seed: seed)
            XCTAssertEqual(p, q.presentation(seed: seed))
            XCTAssertEqual(p.order.sorted(), [0, 1, 2, 3, 4])
            XCTAssertEqual(p.entries, p.order.map { choices[$0] })
        }
    }

    func testSeedsAndQuestionIDsChangeTheOrder() {
        let q = question(.single(choices: choices, answer: 2))
        let orders = Set((0..<50).map { q.presentation(seed: UInt64($0)).order })
        XCTAssertGreaterThan(orders.count, 20, "50 seeds over 120 orders should give many different ones")
        let other = question(.single(choices: choices, answer: 2), id: "demo.other")
        let differing = (0..<20).filter { q.presentation(seed: UInt64($0)) != other.presentation(seed: UInt64($0)) }
        XCTAssertFalse(differing.isEmpty, "the question id takes part in the shuffle")
    }

    func testKnownSeedsGiveTheOrdersOfAnIndependentImplementation() {
        // Goldens from a separate Python implementation of the same three steps (FNV-1a of the id,
        // SplitMix64 seeded with seed XOR hash, Fisher–Yates from the end). A learner's saved
        // attempt refers to these orders, so they must not change between runs or platforms.
        XCTAssertEqual(question(.single(choices: ["a0", "a1", "a2", "a3"], answer: 1), id: "why-hard.four-approaches")
            .presentation(seed: 7).order, [1, 3, 2, 0])
        XCTAssertEqual(question(.single(choices: choices, answer: 0)).presentation(seed: 0).order, [0, 3, 1, 2, 4])
        XCTAssertEqual(question(.order(items: ["p", "q", "r", "s"]), id: "first-steps.in-order")
            .presentation(seed: 12345).order, [2, 1, 0, 3])
    }

    func testMappingBothWays() {
        let q = question(.multiple(choices: choices, answers: [0, 3]))
        let p = q.presentation(seed: 3)
        for displayed in 0..<5 {
            let authored = p.authoredIndex(displayed: displayed)
            XCTAssertEqual(authored.flatMap { p.displayedIndex(authored: $0) }, displayed)
        }
        XCTAssertNil(p.authoredIndex(displayed: 5))
        XCTAssertNil(p.authoredIndex(displayed: -1))
        XCTAssertNil(p.displayedIndex(authored: 9))
    }

    func testGradingUsesDisplayedLetters() throws {
        let q = question(.single(choices: choices, answer: 2))
        let p = q.presentation(seed: 11)
        let shown = try XCTUnwrap(p.displayedIndex(authored: 2))
        let letter = String(UnicodeScalar(UInt8(97 + shown)))
        XCTAssertEqual(q.grade(letter, presentation: p), .graded(correct: true, understood: letter, expected: letter))
        XCTAssertEqual(p.entries[shown], "x")
        let wrong = (shown + 1) % 5
        let wrongLetter = String(UnicodeScalar(UInt8(97 + wrong)))
        XCTAssertEqual(q.grade(wrongLetter, presentation: p), .graded(correct: false, understood: wrongLetter, expected: letter))
    }

    func testMultipleGradedThroughPresentation() {
        let q = question(.multiple(choices: choices, answers: [1, 4]))
        let p = q.presentation(seed: 5)
        let letters = [1, 4].compactMap { p.displayedIndex(authored: $0) }.sorted().map { String(UnicodeScalar(UInt8(97 + $0))) }
        let result = q.grade(letters.reversed().joined(separator: " "), presentation: p)
        XCTAssertEqual(result, .graded(correct: true, understood: letters.joined(separator: ", "), expected: letters.joined(separator: ", ")))
    }

    func testOrderQuestionsAreNeverShownSolvedAndGradeByDisplayedLetters() {
        let items = ["one", "two"]
        let q = question(.order(items: items))
        for seed in 0..<100 {
            let p = q.presentation(seed: UInt64(seed))
            XCTAssertNotEqual(p.order, [0, 1], "seed \(seed)")
            XCTAssertEqual(q.grade("b a", presentation: p).correct, true)
            XCTAssertEqual(q.grade("a b", presentation: p).correct, false)
        }
        let four = question(.order(items: ["p", "q", "r", "s"]))
        for seed in 0..<200 {
            let p = four.presentation(seed: UInt64(seed))
            XCTAssertNotEqual(p.order, [0, 1, 2, 3])
            // The answer is, for each authored position, the letter it is displayed under.
            let answer = (0..<4).compactMap { p.displayedIndex(authored: $0) }.map { String(UnicodeScalar(UInt8(97 + $0))) }
            XCTAssertEqual(four.grade(answer.joined(), presentation: p),
                           .graded(correct: true, understood: answer.joined(separator: " "), expected: answer.joined(separator: " ")))
        }
    }

    func testTypesWithoutLettersAndMismatchedPresentations() {
        let numeric = question(.numeric(answer: 1, tolerance: 0, unit: nil))
        XCTAssertEqual(numeric.presentation(seed: 1).order, [])
        // A presentation made for another question is ignored: letters are read in authored order.
        let single = question(.single(choices: ["x", "y"], answer: 0))
        let foreign = question(.single(choices: choices, answer: 0)).presentation(seed: 2)
        XCTAssertEqual(single.grade("a", presentation: foreign), .graded(correct: true, understood: "a", expected: "a"))
        XCTAssertEqual(Presentation.identity(["x", "y"]).order, [0, 1])
    }
}

