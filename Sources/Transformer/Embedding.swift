// The embedding step (TL's Embed and PosEmbed): token and positional embeddings, their hook points.
import Tensor

/// Token and positional embeddings. Standard models add the positions to the residual stream here;
/// shortformer models hand them to every attention layer's query and key inputs instead.
struct Embedding {
    let wE: Variable                // [d_vocab, d_model]
    let wPos: Variable              // [n_ctx, d_model]
    let positional: ModelConfig.PositionalEmbedding
    let embedPoint: Int, posEmbedPoint: Int

    init(_ parameters: ParameterSource, config c: ModelConfig, table: HookPointTable) throws(ModelError) {
        wE = try parameters.required("embed.W_E")
        wPos = try parameters.required("pos_embed.W_pos")
        positional = c.positionalEmbeddingType
        embedPoint = table.index(.embed, layer: 0)
        posEmbedPoint = table.index(.posEmbed, layer: 0)
    }

    /// Embeds `tokens` (positions start at `offset`, after a key/value prefix). Returns the residual
    /// stream `[batch, pos, d_model]` entering block 0 and, for shortformer models, the positional
    /// embedding the blocks add to their query and key inputs.
    func callAsFunction(_ tokens: [[Int]], offset: Int, _ pass: inout ForwardPass) throws -> (resid: Variable, positions: Variable?) {
        let batch = tokens.count, pos = tokens.first?.count ?? 0
        var embed = wE.embed(tokens)                                            // [b, p, d]
        try pass.emit(embedPoint, &embed)
        var posEmbed = wPos.sliced(axis: 0, offset..<(offset + pos))            // [p, d], shared by the batch
        if pass.observes(posEmbedPoint) {
            var perSequence = posEmbed.broadcast(to: [batch, pos, wPos.shape[1]])  // [b, p, d], TL's shape
            try pass.emit(posEmbedPoint, &perSequence)
            // A cached copy changes nothing; a hook or a gradient needs the per-sequence value downstream.
            if pass.intervenes(posEmbedPoint) { posEmbed = perSequence }
        }
        switch positional {
        case .standard: return (embed + posEmbed, nil)                           // [b, p, d]
        case .shortformer: return (embed, posEmbed)
        }
    }
}
