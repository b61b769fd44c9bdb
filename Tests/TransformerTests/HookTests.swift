// runWithCache filters, runWithHooks semantics, early stop, resume, prefix and last-position runs.
import Tensor
import Transformer
import XCTest

final class HookTests: XCTestCase {
    private let tokens = [[0, 3, 5, 7, 9, 2], [0, 4, 6, 8, 1, 3]]

    func testCacheFilterCachesOnlyWhatIsAsked() throws {
        let model = try Fixtures.model("gpt2_style")
        let names = ["blocks.1.attn.hook_pattern", "hook_embed"]
        let (logits, cache) = try model.runWithCache(tokens, names: .names(names))
        XCTAssertEqual(cache.names, ["hook_embed", "blocks.1.attn.hook_pattern"], "forward order")
        XCTAssertEqual(cache[.pattern, 1]?.shape, [2, 2, 6, 6])
        XCTAssertNil(cache["blocks.0.attn.hook_pattern"])
        XCTAssertEqual(logits, try model.forward(tokens), "caching does not change the result")
        let suffix = try model.runWithCache(tokens, names: .suffixes(["hook_resid_pre"])).cache
        XCTAssertEqual(suffix.names, ["blocks.0.hook_resid_pre", "blocks.1.hook_resid_pre"])
        XCTAssertTrue(try model.run(tokens).cache.isEmpty)
        XCTAssertGreaterThan(suffix.byteCount, 0)
    }

    /// The cache file format: one tensor per hook under its TL name, plus logits and tokens.
    func testCacheExportsAsSafeTensors() throws {
        let model = try Fixtures.model("attn_only_shortformer")
        let (logits, cache) = try model.runWithCache(tokens)
        let file = cache.safetensors(logits: logits, tokens: tokens, metadata: ["model": "x"])
        let parsed = try SafeTensorsFile(bytes: file.serialized(), source: "cache")
        XCTAssertEqual(Set(parsed.tensors.keys), Set(cache.names + ["logits", "tokens"]))
        XCTAssertEqual(try parsed.float32("blocks.1.attn.hook_pattern", source: "cache"), cache[.pattern, 1])
        XCTAssertEqual(try parsed.integers("tokens", source: "cache").shape, [2, 6])
        XCTAssertEqual(try parsed.integers("tokens", source: "cache").values, tokens.flatMap { $0 })
        XCTAssertEqual(parsed.metadata["model"], "x")
    }

    func testUnknownHookNameIsAnErrorWithSuggestions() throws {
        let model = try Fixtures.model("attn_only_ln")
        XCTAssertThrowsError(try model.runWithCache(tokens, names: .names(["blocks.0.attn.hook_patern"]))) { error in
            XCTAssertEqual("\(error)", "no hook point named 'blocks.0.attn.hook_patern'; closest: blocks.0.attn.hook_pattern, blocks.1.attn.hook_pattern")
        }
        XCTAssertThrowsError(try model.runWithHooks(tokens, hooks: [Hook("blocks.0.hook_mlp_out") { _, _ in }])) { error in
            XCTAssertTrue("\(error)".hasPrefix("no hook point named 'blocks.0.hook_mlp_out'"), "attn-only models have no MLP")
        }
    }

    func testShapeChangingHookIsAnError() throws {
        let model = try Fixtures.model("attn_only_shortformer")
        let hook = Hook(.residPre, layer: 1) { act, _ in act = Tensor.zeros([1]) }
        XCTAssertThrowsError(try model.runWithHooks(tokens, hooks: [hook])) { error in
            XCTAssertEqual("\(error)", "hook on 'blocks.1.hook_resid_pre' changed the shape from [2, 6, 16] to [1]")
        }
    }

    func testHooksRunInOrderAndSeeEarlierReplacements() throws {
        let model = try Fixtures.model("attn_only_ln")
        var seen: [String] = []
        let first = Hook(where: { $0.hasSuffix("hook_resid_post") }) { act, point in
            seen.append(point.name)
            act = act * 0
        }
        let second = Hook("blocks.1.hook_resid_post") { act, _ in
            XCTAssertEqual(act.max(), 0, "sees the first hook's replacement")
            seen.append("second")
        }
        let result = try model.run(tokens, hooks: [first, second], cache: .names(["blocks.1.hook_resid_post"]))
        XCTAssertEqual(seen, ["blocks.0.hook_resid_post", "blocks.1.hook_resid_post", "second"])
        XCTAssertEqual(result.cache["blocks.1.hook_resid_post"]?.max(), 0, "the cache records what flows on")
    }

    func testHookedLayerNormScaleFlowsIntoNormalized() throws {
        let model = try Fixtures.model("gpt2_style")
        let doubled = try model.run(tokens, hooks: [Hook(.ln1Scale, layer: 0) { s, _ in s = s * 2 }],
                                    cache: .names(["blocks.0.ln1.hook_normalized"])).cache
        let plain = try model.runWithCache(tokens, names: .names(["blocks.0.ln1.hook_normalized"])).cache
        let a = try XCTUnwrap(doubled["blocks.0.ln1.hook_normalized"]), b = try XCTUnwrap(plain["blocks.0.ln1.hook_normalized"])
        XCTAssertLessThanOrEqual(a.maxAbsDifference(b * 0.5), 1e-5)
    }

    func testStopForwardEndsTheRun() throws {
        let model = try Fixtures.model("gpt2_style")
        let stop = Hook("blocks.0.hook_attn_out") { _, _ in throw StopForward() }
        let result = try model.run(tokens, hooks: [stop], cache: .all)
        XCTAssertNil(result.logits)
        XCTAssertEqual(result.cache.names.last, "blocks.0.attn.hook_z")
    }

    func testHookErrorsPassThrough() throws {
        struct Custom: Error {}
        let model = try Fixtures.model("gpt2_style")
        XCTAssertThrowsError(try model.runWithHooks(tokens, hooks: [Hook("hook_embed") { _, _ in throw Custom() }])) {
            XCTAssertTrue($0 is Custom)
        }
    }

    /// stopAtLayer returns the next block's resid_pre; resuming there gives the same logits.
    func testStopAndStartAtLayerCompose() throws {
        for arch in Fixtures.architectures {
            let model = try Fixtures.model(arch)
            let (logits, cache) = try model.runWithCache(tokens)
            let stopped = try model.run(tokens, options: ForwardOptions(stopAtLayer: 1))
            XCTAssertNil(stopped.logits)
            assertClose(stopped.residual, try XCTUnwrap(cache[.residPre, 1]), tolerance: 0, "\(arch) stop")
            let resumed = try model.run(tokens, cache: .all, options: ForwardOptions(start: (1, try XCTUnwrap(stopped.residual))))
            assertClose(resumed.logits, logits, tolerance: 1e-6, "\(arch) resume")
            XCTAssertNil(resumed.cache["hook_embed"], "embedding hooks do not run when starting later")
            XCTAssertEqual(try model.run(tokens, options: ForwardOptions(stopAtLayer: 0)).residual?.shape, [2, 6, 16])
        }
    }

    /// Logits at the last position only equal the last row of the full logits, with or without
    /// the final block's shortcut (observing the final block turns it off).
    func testLastPositionLogits() throws {
        for arch in Fixtures.architectures {
            let model = try Fixtures.model(arch)
            let full = try model.forward(tokens)
            let last = try XCTUnwrap(model.run(tokens, options: ForwardOptions(logitPositions: .last)).logits)
            XCTAssertEqual(last.shape, [2, 1, full.shape[2]])
            assertClose(last, full.sliced(axis: 1, 5..<6), tolerance: 1e-5, "\(arch) last")
            let watched = try model.run(tokens, cache: .all, options: ForwardOptions(logitPositions: .last))
            assertClose(watched.logits, full.sliced(axis: 1, 5..<6), tolerance: 1e-5, "\(arch) watched")
            XCTAssertEqual(watched.cache[.residPost, 1]?.shape, [2, 6, 16], "hooks keep TL shapes")
        }
    }

    /// A run of later positions with the earlier keys and values as a prefix (TL's past_kv_cache)
    /// reproduces the full run's later positions.
    func testKeyValuePrefixReproducesLaterPositions() throws {
        for arch in Fixtures.architectures {
            let model = try Fixtures.model(arch)
            let (logits, cache) = try model.runWithCache(tokens)
            let prefix = try KeyValuePrefix(cache: cache, layers: model.config.nLayers, length: 4)
            let later = tokens.map { Array($0[4...]) }
            let result = try model.run(later, cache: .all, options: ForwardOptions(prefix: prefix))
            assertClose(result.logits, logits.sliced(axis: 1, 4..<6), tolerance: 1e-5, "\(arch) prefix logits")
            XCTAssertEqual(result.cache[.pattern, 0]?.shape, [2, model.config.nHeads, 2, 6])
            XCTAssertEqual(result.cache[.k, 0]?.shape, [2, 2, model.config.nHeads, model.config.dHead], "new keys only, as TL")
            assertClose(result.cache["hook_pos_embed"], try XCTUnwrap(cache["hook_pos_embed"]).sliced(axis: 1, 4..<6), tolerance: 0, "\(arch) positions")
            XCTAssertThrowsError(try model.run([[1, 2, 3, 4, 5]], options: ForwardOptions(prefix: prefix))) {
                XCTAssertTrue("\($0)".contains("exceed the context length"), "\($0)")
            }
        }
    }

    func testInvalidOptionsAreErrors() throws {
        let model = try Fixtures.model("attn_only_ln")
        XCTAssertThrowsError(try model.run(tokens, options: ForwardOptions(stopAtLayer: 3)))
        XCTAssertThrowsError(try model.run(tokens, options: ForwardOptions(start: (0, Tensor.zeros([2, 5, 16]))))) {
            XCTAssertTrue("\($0)".contains("start residual has shape [2, 5, 16]"), "\($0)")
        }
        XCTAssertThrowsError(try model.run(tokens, options: ForwardOptions(start: (2, Tensor.zeros([2, 6, 16])), stopAtLayer: 1)))
    }

    func testBadTokensAreErrorsNotCrashes() throws {
        let model = try Fixtures.model("attn_only_ln")
        let cases: [([[Int]], String)] = [
            ([], "the batch is empty"),
            ([[]], "sequence 0 is empty"),
            ([[0, 1], [0]], "sequence 1 has 1 tokens, sequence 0 has 2"),
            ([Array(repeating: 1, count: 9)], "9 positions exceed the context length n_ctx = 8"),
            ([[0, 20]], "id 20 at sequence 0, position 1 is outside the vocabulary 0..<20"),
            ([[0, -1]], "id -1"),
        ]
        for (batch, phrase) in cases {
            XCTAssertThrowsError(try model.forward(batch)) { XCTAssertTrue("\($0)".contains(phrase), "\($0)") }
        }
    }
}
