// The MLP of a block (TL's MLP): linear, activation, linear, with its hook points.
import Tensor

/// `W_out · act(W_in · x + b_in) + b_out` with `hook_pre` and `hook_post`.
struct MLP {
    let wIn: Variable, bIn: Variable            // [d_model, d_mlp], [d_mlp]
    let wOut: Variable, bOut: Variable          // [d_mlp, d_model], [d_model]
    let activation: ModelConfig.ActivationFunction
    let prePoint: Int, postPoint: Int

    init(_ parameters: ParameterSource, layer l: Int, config c: ModelConfig, points at: BlockPointIndices) throws(ModelError) {
        let p = "blocks.\(l).mlp."
        wIn = try parameters.required(p + "W_in")
        bIn = try parameters.required(p + "b_in")
        wOut = try parameters.required(p + "W_out")
        bOut = try parameters.required(p + "b_out")
        activation = c.actFn ?? .geluNew
        prePoint = at.mlpPre
        postPoint = at.mlpPost
    }

    /// `mlp_out [batch, pos, d_model]` (before `hook_mlp_out`) from the ln2 output `x`.
    func callAsFunction(_ x: Variable, _ pass: inout ForwardPass) throws -> Variable {
        var pre = x.linear(weight: wIn, bias: bIn)                          // [b, p, d_mlp]
        try pass.emit(prePoint, &pre)
        var post: Variable                                                  // [b, p, d_mlp]
        switch activation {
        case .geluNew: post = pre.geluNew()
        case .gelu: post = pre.gelu()
        case .relu: post = pre.relu()
        }
        try pass.emit(postPoint, &post)
        return post.linear(weight: wOut, bias: bOut)                        // [b, p, d_model]
    }
}
