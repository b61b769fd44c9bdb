// The training record of a model file: written as `TrainingMetadata`, kept by the loaded model, read
// by its card; the metrics a training run tracks.
import Foundation
import Interp
import Tensor
import Transformer
import XCTest

final class TrainingRecordTests: XCTestCase {
    func testTrainingRecordTravelsWithTheLoadedModelToItsCard() throws {
        let recipe = try TrainingRecipe.named("induction-2l")
        let model = try HookedTransformer.random(config: recipe.config, seed: 3, vocab: Vocabulary.shared)
        let evaluation = try TaskMetrics.trainingEvaluation(model: model, task: .induction, step: 5, loss: 4.25)
        XCTAssertEqual(evaluation.step, 5)
        XCTAssertEqual(evaluation.loss, 4.25)
        XCTAssertEqual(evaluation.bestInduction, HeadScores.best(try HeadScores.compute(model: model, seqLen: 15, batch: 16, seed: 1).induction).score)
        XCTAssertNil(evaluation.accuracy)
        let inContext = try XCTUnwrap(evaluation.inContextLoss)
        XCTAssertEqual(inContext, Float(Foundation.log(126.0)), accuracy: 0.5, "an untrained model is near chance")

        let record = TrainingMetadata(command: "interp train induction-2l --seed 3", recipe: recipe, seed: 3, steps: 5, finalLoss: 4.25,
                                      data: recipe.dataDescription, date: "2026-01-01T00:00:00Z", complete: false, history: [evaluation])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("typed-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url, extraMetadata: [TrainingMetadata.metadataKey: try record.jsonString()])
        let loaded = try HookedTransformer(contentsOf: url)
        XCTAssertEqual(loaded.trainingMetadata, record)
        let card = try ModelCard.make(model: loaded, name: "not-named-after-its-task")
        XCTAssertEqual(card.task, "induction", "the task comes from the recorded recipe")
        XCTAssertEqual(card.training?.command, record.command)
        XCTAssertEqual(card.training?.steps, 5)
        XCTAssertNotNil(card.inContextLoss)
        // The record as the file stores it: sorted keys, the history's missing metrics left out.
        let json = try record.jsonString()
        XCTAssertTrue(json.hasPrefix("{\"command\":"), json)
        XCTAssertFalse(json.contains("accuracy"), json)

        XCTAssertNil(model.trainingMetadata, "a model made in memory has no file record")
        XCTAssertTrue(try ModelCard.make(model: model, name: "x").lines.contains("no training record in the file"))
    }

    func testTheBundledRecordsFollowTheSchemaByteForByte() throws {
        for name in ["induction-2l", "ioi-3l"] {
            let model = try ModelRegistry().load(name)
            let record = try XCTUnwrap(model.trainingMetadata, name)
            XCTAssertEqual(record.recipe, try TrainingRecipe.named(name))
            XCTAssertTrue(record.complete)
            XCTAssertEqual(try record.jsonString(), model.fileMetadata[TrainingMetadata.metadataKey], name)
        }
    }

    func testTheIOIEvaluationIsTheHeldOutAccuracyAndLogitDifference() throws {
        let model = try HookedTransformer.random(config: try TrainingRecipe.named("ioi-3l").config, seed: 2, vocab: Vocabulary.shared)
        let e = try TaskMetrics.trainingEvaluation(model: model, task: .ioi, step: 0, loss: nil)
        let (accuracy, diff) = try TaskMetrics.ioi(model: model, prompts: TaskMetrics.ioiEvalPrompts())
        XCTAssertEqual(e.accuracy, accuracy)
        XCTAssertEqual(e.meanLogitDiff, diff)
        XCTAssertNil(e.loss)
        XCTAssertNil(e.inContextLoss)
        // One prompt by hand: logit[IO] − logit[S] at END.
        let p = TaskMetrics.ioiEvalPrompts()[0]
        let logits = try model.forward([p.tokens])
        let end = try XCTUnwrap(p.positions["END"])
        let d = logits[0, end, try XCTUnwrap(Vocabulary.id(p.io))] - logits[0, end, try XCTUnwrap(Vocabulary.id(p.s))]
        let one = try TaskMetrics.ioi(model: model, prompts: [p])
        XCTAssertEqual(one.meanLogitDiff, d, accuracy: 1e-5)
        XCTAssertEqual(one.accuracy, d > 0 ? 1 : 0)
    }
}
