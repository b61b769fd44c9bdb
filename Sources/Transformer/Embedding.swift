// The embedding step: token and positional embeddings with their hook points.
import Tensor

extension HookedTransformer {
    /// Embeds `tokens` (positions start at `offset`, after a key/value prefix). Returns the residual
    /// stream `[batch, pos, d_model]` entering block 0 and, for shortformer models, the positional
    /// embedding the blocks add to their query and key inputs (standard models add it here).
    func embed(_ tokens: [[Int]], offset: Int, _ pass: inout ForwardPass) throws -> (resid: Tensor, positions: Tensor?) {
        let batch = tokens.count, pos = tokens.first?.count ?? 0
        var embed = wE.embed(tokens)                                        // [b, p, d]
        try pass.emit(hookTable.index(.embed, layer: 0), &embed)
        var posEmbed = wPos.sliced(axis: 0, offset..<(offset + pos))        // [p, d], shared by the batch
        let posPoint = hookTable.index(.posEmbed, layer: 0)
        if pass.observes(posPoint) {
            var perSequence = posEmbed.broadcast(to: [batch, pos, config.dModel])   // [b, p, d], TL's shape
            try pass.emit(posPoint, &perSequence)
            // Only a hook can make positions differ between sequences; a cached copy changes nothing.
            if pass.hooks(posPoint) { posEmbed = perSequence }
        }
        switch config.positionalEmbeddingType {
        case .standard: return (embed + posEmbed, nil)                       // [b, p, d]
        case .shortformer: return (embed, posEmbed)
        }
    }
}
