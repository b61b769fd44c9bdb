import XCTest
import Course

final class SketchHintsTests: XCTestCase {
    private let rubric = [
        RubricPoint(point: "Intervene on the chain", keys: ["intervene", "truncate", "early answering"]),
        RubricPoint(point: "Activation patching", keys: ["activation patching", "patch"]),
        RubricPoint(point: "Biasing features", keys: ["bias"]),
        RubricPoint(point: "Probes", keys: ["probe"]),
        RubricPoint(point: "Chain of thought", keys: ["chain-of-thought", "CoT"]),
    ]

    private func mentioned(_ sketch: String) -> [String] {
        SketchHints.hints(sketch: sketch, rubric: rubric).filter(\.mentioned).map(\.point)
    }

    func testCaseAndEndings() {
        XCTAssertEqual(mentioned("I would INTERVENE and then Truncating the reasoning."), ["Intervene on the chain"])
        XCTAssertEqual(mentioned("We patched some heads"), ["Activation patching"])
        XCTAssertEqual(mentioned("patches, patching"), ["Activation patching"])
        XCTAssertEqual(mentioned("biases in the prompt"), ["Biasing features"])
        XCTAssertEqual(mentioned("probing and probes"), ["Probes"])
    }

    func testWordBoundaries() {
        XCTAssertEqual(mentioned("the probability of dispatching"), [], "probe is not in probability; patch is not in dispatching")
        XCTAssertEqual(mentioned("cots"), ["Chain of thought"])
        XCTAssertEqual(mentioned("mascot"), [])
    }

    func testPhrasesAcrossHyphensAndLineBreaks() {
        XCTAssertEqual(mentioned("a chain of\nthought"), ["Chain of thought"])
        XCTAssertEqual(mentioned("Early-answering tests"), ["Intervene on the chain"])
        XCTAssertEqual(mentioned("answering early"), [], "phrase words must be in order and adjacent")
    }

    func testMatchedKeysAreListedInRubricOrder() {
        let hints = SketchHints.hints(sketch: "Patch the activations: activation patching.", rubric: rubric)
        XCTAssertEqual(hints.count, 5)
        XCTAssertEqual(hints[1].matchedKeys, ["activation patching", "patch"])
        XCTAssertEqual(hints[0].matchedKeys, [])
        XCTAssertFalse(hints[0].mentioned)
    }

    func testEmptySketch() {
        XCTAssertEqual(mentioned(""), [])
        XCTAssertEqual(SketchHints.hints(sketch: "anything", rubric: []), [])
    }
}
