// The backward cache: every activation and d(metric)/d(activation) at every hook point, as
// TransformerLens's run_with_cache(incl_bwd=True) gives them.
import Tensor
import Transformer

/// The activations of one run with the gradient of a metric at every hook point.
public struct BackwardCache {
    /// The metric differentiated.
    public var metricName: String
    /// Its value on this run.
    public var metricValue: Float
    /// The run's outputs, activations and gradients.
    public var run: GradientResult

    /// Runs `model` on `tokens`, records every activation and differentiates `metric` at every hook.
    /// - Throws: `AnalysisError` / `ModelError` for tokens or answers that do not fit the model.
    public init(model: HookedTransformer, tokens: [[Int]], metric: any LogitMetric) throws {
        let run = try model.runWithGradients(tokens, metric: { logits throws in try metric(logits) })
        self.metricName = metric.name
        self.metricValue = run.metric
        self.run = run
    }

    /// One safetensors file: the activations under their TL hook names, the gradients under
    /// `<hook name>_grad` (TL's cache keys), `logits`, `tokens`; the metric in the metadata.
    public func safetensors(tokens: [[Int]], metadata: [String: String] = [:]) -> SafeTensorsFile {
        var file = run.cache.safetensors(logits: run.logits, tokens: tokens, metadata: metadata)
        for name in run.gradients.names {
            if let g = run.gradients[name] { file.tensors[name + "_grad"] = .float32(g) }
        }
        file.metadata["metric"] = metricName
        file.metadata["metric_value"] = "\(metricValue)"
        return file
    }
}
