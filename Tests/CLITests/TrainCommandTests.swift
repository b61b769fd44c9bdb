import Foundation
import Tensor
import XCTest

/// `interp train`: a short run writes a loadable model with its training record; Ctrl-C stops
/// cleanly after writing a checkpoint and says where it is.
final class TrainCommandTests: XCTestCase {
    func testShortRunWritesModelWithTrainingMetadata() throws {
        let runner = try InterpRunner()
        let out = runner.home.appendingPathComponent("tiny.safetensors")
        let r = try runner.run(["train", "induction-2l", "--steps", "6", "--eval-every", "3", "--checkpoint-every", "2",
                                "--seed", "7", "--out", out.path, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertNotNil(summary["final_loss"] ?? summary["finalLoss"], r.stdout)

        let file = try SafeTensorsFile(contentsOf: out)
        let training = try XCTUnwrap(file.metadata["training"])
        let meta = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(training.utf8)) as? [String: Any])
        XCTAssertEqual(meta["steps"] as? Int, 6)
        XCTAssertEqual(meta["seed"] as? Int, 7)
        XCTAssertEqual(meta["complete"] as? Bool, true)
        // The file is a model the other commands accept.
        let info = try runner.run(["model", "info", out.path, "--json"])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path + ".tmp"), "no temporary file left behind")
    }

    func testSameSeedGivesIdenticalWeights() throws {
        let runner = try InterpRunner()
        let a = runner.home.appendingPathComponent("a.safetensors"), b = runner.home.appendingPathComponent("b.safetensors")
        for url in [a, b] {
            let r = try runner.run(["train", "induction-2l", "--steps", "3", "--seed", "3", "--eval-every", "1000", "--out", url.path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let fa = try SafeTensorsFile(contentsOf: a), fb = try SafeTensorsFile(contentsOf: b)
        for name in fa.tensors.keys {
            XCTAssertEqual(try fa.float32(name, source: "a"), try fb.float32(name, source: "b"), name)
        }
    }

    func testInterruptStopsCleanlyAndNamesTheCheckpoint() throws {
        let runner = try InterpRunner()
        let out = runner.home.appendingPathComponent("stopped.safetensors")
        let process = Process()
        process.executableURL = InterpRunner.binary
        process.arguments = ["train", "induction-2l", "--steps", "100000", "--checkpoint-every", "2", "--eval-every", "1000",
                             "--out", out.path]
        process.environment = runner.environment
        let errPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: out.path), Date() < deadline { usleep(50_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.path), "no checkpoint was written")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("the last checkpoint is \(out.path)"), stderr)
        let file = try SafeTensorsFile(contentsOf: out)
        let meta = try XCTUnwrap(file.metadata["training"])
        XCTAssertTrue(meta.contains("\"complete\":false") || meta.contains("\"complete\" : false"), meta)
    }

    func testUnknownRecipeIsAUsageError() throws {
        let r = try InterpRunner().run(["train", "gpt-7"])
        XCTAssertEqual(r.status, 64)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }
}
