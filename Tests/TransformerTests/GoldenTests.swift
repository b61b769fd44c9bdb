// Every hook activation and the logits against the numpy reference (scripts/make_goldens.py).
import Tensor
import Transformer
import XCTest

final class GoldenTests: XCTestCase {
    /// Runs one architecture with the full cache and compares every golden activation.
    private func checkArchitecture(_ arch: String) throws {
        let model = try Fixtures.model(arch)
        let golden = try Fixtures.golden(arch)
        let tokens = try golden.integers("tokens", source: arch)
        let batch = (0..<tokens.shape[0]).map { b in Array(tokens.values[(b * tokens.shape[1])..<((b + 1) * tokens.shape[1])]) }
        let (logits, cache) = try model.runWithCache(batch)

        let expectedNames = Set(golden.tensors.keys.filter { !$0.hasPrefix("patched.") && $0 != "logits" && $0 != "tokens" })
        XCTAssertEqual(Set(cache.names), expectedNames, "\(arch): the cache holds exactly TL's hook points")
        XCTAssertEqual(cache.names, model.hookPoints.map(\.name), "\(arch): cache order is forward order")
        for name in expectedNames.sorted() {
            assertClose(cache[name], try golden.float32(name, source: arch), "\(arch) \(name)")
        }
        assertClose(logits, try golden.float32("logits", source: arch), "\(arch) logits")
        XCTAssertEqual(model.hookPoints.count, expectedNames.count)
    }

    func testAttentionOnlyShortformer() throws { try checkArchitecture("attn_only_shortformer") }
    func testAttentionOnlyLayerNorm() throws { try checkArchitecture("attn_only_ln") }
    func testGPT2Style() throws { try checkArchitecture("gpt2_style") }
    func testLayerNormPreWithMLP() throws { try checkArchitecture("lnpre_mlp") }

    /// Zero-ablating head 1 of blocks.0.attn.hook_z through a hook changes every later activation as
    /// the reference says, and leaves earlier ones alone.
    func testZeroAblationHookMatchesReference() throws {
        for arch in Fixtures.architectures {
            let model = try Fixtures.model(arch)
            let golden = try Fixtures.golden(arch)
            let tokens = try golden.integers("tokens", source: arch)
            let batch = (0..<tokens.shape[0]).map { b in Array(tokens.values[(b * tokens.shape[1])..<((b + 1) * tokens.shape[1])]) }
            var calls = 0
            let ablate = Hook("blocks.0.attn.hook_z") { z, point in
                calls += 1
                XCTAssertEqual(point.name, "blocks.0.attn.hook_z")
                XCTAssertEqual(point.layer, 0)
                let (b, p, h, d) = (z.shape[0], z.shape[1], z.shape[2], z.shape[3])
                z.withUnsafeMutableBufferPointer { buf in
                    for i in 0..<b { for j in 0..<p { for k in 0..<d { buf[((i * p + j) * h + 1) * d + k] = 0 } } }
                }
            }
            let result = try model.run(batch, hooks: [ablate], cache: .all)
            XCTAssertEqual(calls, 1)
            for name in golden.tensors.keys.sorted() where name.hasPrefix("patched.") && name != "patched.logits" {
                let hook = String(name.dropFirst("patched.".count))
                assertClose(result.cache[hook], try golden.float32(name, source: arch), "\(arch) patched \(hook)")
            }
            assertClose(result.logits, try golden.float32("patched.logits", source: arch), "\(arch) patched logits")
            let clean = try golden.float32("logits", source: arch)
            XCTAssertGreaterThan(try XCTUnwrap(result.logits).maxAbsDifference(clean), 1e-3, "\(arch): the ablation matters")
        }
    }
}
