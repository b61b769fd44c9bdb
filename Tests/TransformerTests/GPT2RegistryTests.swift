// gpt2 / gpt2-medium names: the local Hugging Face cache, imported models, and where to put files.
import Foundation
import Transformer
import XCTest

final class GPT2RegistryTests: XCTestCase {
    func testHubNamesResolveToTheCachedSnapshotRefsMainFirst() throws {
        let root = try temporaryDirectory(self)
        let repo = root.appendingPathComponent("hub/models--openai-community--gpt2")
        let snapshots = repo.appendingPathComponent("snapshots")
        for commit in ["old", "abc123"] {
            let dir = snapshots.appendingPathComponent(commit)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: dir.appendingPathComponent("config.json"))
        }
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try "abc123\n".write(to: repo.appendingPathComponent("refs/main"), atomically: true, encoding: .utf8)
        let registry = ModelRegistry(directories: [], environment: ["HF_HOME": root.path, "HOME": root.path])
        XCTAssertEqual(registry.hubCache.path, root.appendingPathComponent("hub").path)
        XCTAssertEqual(try registry.resolve("gpt2").lastPathComponent, "abc123")
        let viaHubCache = ModelRegistry(directories: [], environment: ["HF_HUB_CACHE": root.appendingPathComponent("hub").path])
        XCTAssertEqual(try viaHubCache.resolve("gpt2").lastPathComponent, "abc123")
        XCTAssertEqual(ModelRegistry(directories: [], environment: ["HOME": "/h"]).hubCache.path, "/h/.cache/huggingface/hub")
        XCTAssertEqual(ModelRegistry(directories: [], environment: ["HOME": "/h", "XDG_CACHE_HOME": "/c"]).hubCache.path, "/c/huggingface/hub")
    }

    func testTheFixtureCheckpointLoadsThroughTheHubName() throws {
        let root = try temporaryDirectory(self)
        let snapshot = root.appendingPathComponent("hub/models--gpt2/snapshots/0123")
        try FileManager.default.createDirectory(at: snapshot.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: GPT2Fixture.directory(), to: snapshot)
        let registry = ModelRegistry(directories: [], environment: ["HF_HOME": root.path, "HOME": root.path])
        let model = try registry.load("gpt2")
        XCTAssertTrue(model.tokenizer.isBytePair)
        XCTAssertEqual(model.config.dModel, 48)
    }

    func testAMissingHubModelSaysWhereToPutItsFiles() throws {
        let root = try temporaryDirectory(self)
        let registry = ModelRegistry(directories: [], environment: ["HOME": root.path])
        XCTAssertThrowsError(try registry.resolve("gpt2-medium")) { error in
            let e = error as? ModelError
            XCTAssertEqual(e?.isMissingInput, true)
            XCTAssertEqual(e?.message, "gpt2-medium is not on this machine (interp downloads nothing): put its Hugging Face files "
                           + "(config.json, model.safetensors, vocab.json, merges.txt) in \(root.path)/.cache/huggingface/hub/"
                           + "models--openai-community--gpt2-medium/snapshots/main/, or pass their directory, or 'model import DIR --out FILE'")
        }
    }

    func testImportedModelsAreFoundByNameBeforeTheCache() throws {
        let root = try temporaryDirectory(self)
        let registry = ModelRegistry(directories: [], environment: ["HOME": root.path, "XDG_DATA_HOME": root.appendingPathComponent("data").path])
        XCTAssertEqual(registry.userModelsDirectory.path, root.appendingPathComponent("data/interp/models").path)
        try FileManager.default.createDirectory(at: registry.userModelsDirectory, withIntermediateDirectories: true)
        let file = registry.userModelsDirectory.appendingPathComponent("gpt2.safetensors")
        try HookedTransformer(contentsOf: GPT2Fixture.directory()).save(to: file)
        XCTAssertEqual(try registry.resolve("gpt2"), file)
        XCTAssertFalse(registry.isBundled("gpt2"))
    }
}
