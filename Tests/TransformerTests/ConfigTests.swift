// ModelConfig: TL field names, TL defaults, validation, round trip.
import Foundation
import Transformer
import XCTest

final class ConfigTests: XCTestCase {
    private func decode(_ json: String) throws -> ModelConfig { try ModelConfig.decode(json: json, source: "cfg.json") }

    func testRoundTripKeepsEveryField() throws {
        let config = try ModelConfig(nLayers: 3, dModel: 64, nHeads: 4, dHead: 16, nCtx: 32, dVocab: 128, attnOnly: true,
                                     normalizationType: nil, positionalEmbeddingType: .shortformer, eps: 1e-6, modelName: "ioi")
        let json = config.jsonString()
        XCTAssertEqual(try decode(json), config)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertTrue(object["normalization_type"] is NSNull, "explicit null: absent would mean LN to TL")
        XCTAssertEqual(object["positional_embedding_type"] as? String, "shortformer")
        XCTAssertEqual(Set(object.keys), ["n_layers", "d_model", "n_heads", "d_head", "n_ctx", "d_vocab", "d_vocab_out",
                                          "attn_only", "d_mlp", "act_fn", "normalization_type", "positional_embedding_type",
                                          "eps", "model_name"])
        let mlp = try ModelConfig(nLayers: 1, dModel: 8, nHeads: 2, dHead: 4, nCtx: 4, dVocab: 5, dMLP: 12, actFn: .gelu,
                                  normalizationType: .lnPre)
        XCTAssertEqual(try decode(mlp.jsonString()), mlp)
    }

    func testTransformerLensDefaults() throws {
        let c = try decode(#"{"n_layers": 2, "d_model": 16, "d_head": 4, "n_ctx": 8, "d_vocab": 10, "act_fn": "relu", "unused_tl_field": [1]}"#)
        XCTAssertEqual(c.nHeads, 4, "n_heads = d_model // d_head")
        XCTAssertEqual(c.dMLP, 64, "d_mlp = 4·d_model")
        XCTAssertEqual(c.normalizationType, .ln, "absent normalization_type means LN")
        XCTAssertEqual(c.positionalEmbeddingType, .standard)
        XCTAssertEqual(c.eps, 1e-5)
        XCTAssertEqual(c.dVocabOut, 10)
        XCTAssertFalse(c.attnOnly)
        let none = try decode(#"{"n_layers": 1, "d_model": 8, "d_head": 4, "n_ctx": 4, "d_vocab": 5, "attn_only": true, "normalization_type": null, "n_heads": -1, "d_vocab_out": -1}"#)
        XCTAssertNil(none.normalizationType)
        XCTAssertNil(none.dMLP)
        XCTAssertEqual(none.nHeads, 2)
        XCTAssertEqual(none.dVocabOut, 5)
    }

    func testInvalidConfigsGiveOneLineErrors() {
        let cases: [(String, String)] = [
            (#"{"d_model": 8, "d_head": 4, "n_ctx": 4, "d_vocab": 5, "attn_only": true}"#, "missing required field 'n_layers'"),
            (#"{"n_layers": 1, "d_model": 8, "d_head": 4, "n_ctx": 4, "d_vocab": 5, "act_fn": "swish"}"#, #"act_fn "swish" is not supported ("gelu_new", "gelu", "relu")"#),
            (#"{"n_layers": 1, "d_model": 8, "d_head": 4, "n_ctx": 4, "d_vocab": 5}"#, "act_fn is required"),
            (#"{"n_layers": 1, "d_model": 8, "d_head": 4, "n_ctx": 0, "d_vocab": 5, "attn_only": true}"#, "n_ctx must be positive, got 0"),
            (#"{"n_layers": 1, "d_model": 8, "d_head": 16, "n_ctx": 4, "d_vocab": 5, "attn_only": true}"#, "n_heads must be positive, got 0"),
            (#"{"n_layers": 1, "d_model": 8, "d_head": 4, "n_ctx": 4, "d_vocab": 5, "attn_only": true, "normalization_type": "RMS"}"#, #"normalization_type "RMS" is not supported"#),
            (#"{"n_layers": 1, "d_model": 8, "d_head": 4, "n_ctx": 4, "d_vocab": 5, "attn_only": true, "positional_embedding_type": "rotary"}"#, "positional_embedding_type \"rotary\" is not supported"),
            (#"{"n_layers": 1, "d_model": 8, "d_head": 4, "n_ctx": 4, "d_vocab": 5, "attn_only": true, "attention_dir": "bidirectional"}"#, "attention_dir"),
            (#"{"n_layers": 1, "d_model": 8, "d_head": 4, "n_ctx": 4, "d_vocab": 5, "attn_only": true, "parallel_attn_mlp": true}"#, "parallel_attn_mlp = true is not supported"),
            (#"{"n_layers": 1, "d_model": 8, "d_head": 4, "n_ctx": 4, "d_vocab": 5, "attn_only": true, "eps": -1}"#, "eps must be"),
            (#"{"n_layers": 1, "d_model": 1048577, "d_head": 4, "n_ctx": 4, "d_vocab": 5, "attn_only": true}"#, "exceeds the limit"),
            (#"{"n_layers": 1000, "d_model": 65536, "d_head": 64, "n_ctx": 4, "d_vocab": 5, "attn_only": true}"#, "parameters exceed the limit"),
            (#"{"n_layers": "two", "d_model": 8}"#, "config field 'n_layers' has the wrong type"),
            (#"{"n_layers": 1, "d_model": 9223372036854775807, "d_head": 1, "n_ctx": 4, "d_vocab": 5, "act_fn": "relu"}"#, "exceeds the limit"),
            ("[1]", "config is not a valid JSON object"),
            ("{", "config is not a valid JSON object"),
        ]
        for (json, phrase) in cases {
            XCTAssertThrowsError(try decode(json), phrase) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("cfg.json: "), text)
                XCTAssertTrue(text.contains(phrase), "'\(text)' lacks '\(phrase)'")
                XCTAssertFalse(text.contains("\n"))
            }
        }
    }

    func testParameterCountFollowsShapes() throws {
        let c = try ModelConfig(nLayers: 1, dModel: 4, nHeads: 1, dHead: 2, nCtx: 3, dVocab: 5, attnOnly: true, normalizationType: nil)
        // W_E 20 + W_pos 12 + W_Q/K/V 24 + W_O 8 + b_Q/K/V 6 + b_O 4 + W_U 20 + b_U 5
        XCTAssertEqual(c.parameterCount, 99)
    }
}
