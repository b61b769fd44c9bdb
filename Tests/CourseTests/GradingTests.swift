import XCTest
import Course

final class GradingTests: XCTestCase {
    private func question(_ kind: Question.Kind) -> Question {
        Question(id: "demo.q", lesson: "demo", difficulty: .easy, tags: ["t"], prompt: "P", explanation: "E", kind: kind)
    }

    func testSingle() {
        let q = question(.single(choices: ["w", "x", "y", "z"], answer: 1))
        XCTAssertEqual(q.grade("b"), .graded(correct: true, understood: "b", expected: "b"))
        XCTAssertEqual(q.grade("  B "), .graded(correct: true, understood: "b", expected: "b"))
        XCTAssertEqual(q.grade("(b)"), .graded(correct: true, understood: "b", expected: "b"))
        XCTAssertEqual(q.grade("c"), .graded(correct: false, understood: "c", expected: "b"))
        for bad in ["", "e", "ab", "1", "b c", "?"] {
            XCTAssertEqual(q.grade(bad), .invalid(message: "answer with a letter a–d"), bad)
        }
        XCTAssertFalse(q.grade("e").correct)
        XCTAssertFalse(q.grade("e").isValid)
    }

    func testMultiple() {
        let q = question(.multiple(choices: ["v", "w", "x", "y", "z"], answers: [0, 2]))
        for good in ["a c", "c a", "a,c", "c, a", "AC", "a  c", "a c a"] {
            XCTAssertEqual(q.grade(good), .graded(correct: true, understood: "a, c", expected: "a, c"), good)
        }
        XCTAssertEqual(q.grade("a"), .graded(correct: false, understood: "a", expected: "a, c"))
        XCTAssertEqual(q.grade("a c d"), .graded(correct: false, understood: "a, c, d", expected: "a, c"))
        let invalid = GradeResult.invalid(message: "answer with one or more letters a–e, separated by spaces or commas")
        for bad in ["", " , ", "a f", "a; c", "a 3"] {
            XCTAssertEqual(q.grade(bad), invalid, bad)
        }
    }

    func testTrueFalse() {
        let q = question(.truefalse(answer: false))
        for word in ["f", "F", "false", "False", "no", "n", " NO "] {
            XCTAssertEqual(q.grade(word), .graded(correct: true, understood: "false", expected: "false"), word)
        }
        for word in ["t", "true", "yes", "Y"] {
            XCTAssertEqual(q.grade(word), .graded(correct: false, understood: "true", expected: "false"), word)
        }
        XCTAssertEqual(q.grade("maybe"), .invalid(message: "answer true or false"))
    }

    func testNumericWithinToleranceAndUnits() {
        let q = question(.numeric(answer: 0.25, tolerance: 0.01, unit: "nats"))
        XCTAssertEqual(q.grade("0.25"), .graded(correct: true, understood: "0.25 nats", expected: "0.25 ± 0.01 nats"))
        XCTAssertTrue(q.grade("0.26").correct, "the edge of the tolerance counts as correct")
        XCTAssertTrue(q.grade("0.24").correct)
        XCTAssertTrue(q.grade("2.5e-1 nats").correct)
        XCTAssertTrue(q.grade(".25NATS").correct)
        XCTAssertEqual(q.grade("0.2601"), .graded(correct: false, understood: "0.2601 nats", expected: "0.25 ± 0.01 nats"))
        XCTAssertFalse(q.grade("-0.25").correct)
        let invalid = GradeResult.invalid(message: "answer with a number such as 0.25, -2 or 1e-3")
        for bad in ["", "quarter", "0.25 bits", "1/4", "nan", "inf", "0x10", "1e", "--1", "1,5"] {
            XCTAssertEqual(q.grade(bad), invalid, bad)
        }
    }

    func testNumericExactAndExponents() {
        let q = question(.numeric(answer: 0.001, tolerance: 0, unit: nil))
        XCTAssertEqual(q.grade("1e-3"), .graded(correct: true, understood: "0.001", expected: "0.001"))
        XCTAssertTrue(q.grade("0.001").correct)
        XCTAssertTrue(q.grade("+1.0E-3").correct)
        XCTAssertFalse(q.grade("0.0011").correct)
        let whole = question(.numeric(answer: -2, tolerance: 0, unit: nil))
        XCTAssertEqual(whole.grade("-2"), .graded(correct: true, understood: "-2", expected: "-2"))
        XCTAssertEqual(whole.grade("-2.0"), .graded(correct: true, understood: "-2", expected: "-2"))
    }

    func testShortAnswerNormalisation() {
        let q = question(.short(accepted: ["Induction head", "induction heads"]))
        for good in ["induction head", "  INDUCTION   head ", "Induction head.", "induction heads ."] {
            XCTAssertTrue(q.grade(good).correct, good)
        }
        XCTAssertEqual(q.grade("  Induction\t head. "), .graded(correct: true, understood: "induction head", expected: "Induction head"))
        XCTAssertEqual(q.grade("name mover"), .graded(correct: false, understood: "name mover", expected: "Induction head"))
        XCTAssertFalse(q.grade("induction head..").correct, "only one final full stop is dropped")
        XCTAssertEqual(q.grade("   "), .invalid(message: "type an answer"))
        XCTAssertEqual(q.grade("."), .invalid(message: "type an answer"))
    }

    func testOrder() {
        let q = question(.order(items: ["first", "second", "third", "fourth"]))
        for good in ["a b c d", "abcd", "a,b,c,d", "A B C D"] {
            XCTAssertEqual(q.grade(good), .graded(correct: true, understood: "a b c d", expected: "a b c d"), good)
        }
        XCTAssertEqual(q.grade("b a c d"), .graded(correct: false, understood: "b a c d", expected: "a b c d"))
        let invalid = GradeResult.invalid(message: "answer with all of the letters a–d, each once, in the right order")
        for bad in ["a b c", "a b c d d", "a a b c", "a b c e", "", "1 2 3 4"] {
            XCTAssertEqual(q.grade(bad), invalid, bad)
        }
    }

    func testSketchIsNotGraded() {
        let q = question(.sketch(reference: "R", rubric: []))
        XCTAssertEqual(q.grade("anything"), .invalid(message: "sketch answers are self-rated, not graded automatically"))
        XCTAssertFalse(q.isObjective)
    }

    func testEntriesAndTypes() {
        XCTAssertEqual(question(.single(choices: ["x", "y"], answer: 0)).entries, ["x", "y"])
        XCTAssertEqual(question(.order(items: ["p", "q"])).entries, ["p", "q"])
        XCTAssertEqual(question(.truefalse(answer: true)).entries, [])
        XCTAssertEqual(question(.short(accepted: ["s"])).type, .short)
        XCTAssertTrue(question(.numeric(answer: 1, tolerance: 0, unit: nil)).isObjective)
    }
}
