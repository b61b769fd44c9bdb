// The MLP of a block: linear, activation, linear, with TL's hook points.
import Tensor

extension HookedTransformer {
    /// MLP of block `l` on `x [batch, pos, d_model]`; returns `mlp_out` (before `hook_mlp_out`).
    func mlp(_ l: Int, _ x: Tensor, _ pass: inout ForwardPass) throws -> Tensor {
        let p = layers[l], at = blockPoints[l]
        guard let wIn = p.wIn, let bIn = p.bIn, let wOut = p.wOut, let bOut = p.bOut else { return x }
        var pre = x.linear(weight: wIn, bias: bIn)                  // [b, p, d_mlp]
        try pass.emit(at.mlpPre, &pre)
        var post: Tensor                                             // [b, p, d_mlp]
        switch config.actFn ?? .geluNew {
        case .geluNew: post = pre.geluNew()
        case .gelu: post = pre.gelu()
        case .relu: post = pre.relu()
        }
        try pass.emit(at.mlpPost, &post)
        return post.linear(weight: wOut, bias: bOut)                 // [b, p, d_model]
    }
}
