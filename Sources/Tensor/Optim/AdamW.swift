// AdamW (Loshchilov & Hutter): Adam with weight decay decoupled from the gradient.
import Foundation

/// The AdamW optimizer over named parameters, as PyTorch's `torch.optim.AdamW` computes it:
/// `p ← p·(1 − lr·wd)`, then `p ← p − lr · m̂ / (√v̂ + ε)` with bias-corrected moments.
///
/// Parameters are visited in sorted name order, so a run is deterministic bit for bit.
public struct AdamW: Sendable {
    /// Adam's β₁ (first-moment decay).
    public var beta1: Float
    /// Adam's β₂ (second-moment decay).
    public var beta2: Float
    /// The ε added to √v̂.
    public var epsilon: Float
    /// Decoupled weight decay (multiplied by the learning rate).
    public var weightDecay: Float
    /// Number of updates made so far.
    public private(set) var step: Int = 0
    private var m: [String: Tensor] = [:]
    private var v: [String: Tensor] = [:]

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// One update of every parameter that has a gradient, with learning rate `lr`.
    /// `decays(name)` says which parameters get weight decay (default: all).
    /// - Precondition: each gradient has its parameter's shape.
    public mutating func update(_ parameters: inout [String: Tensor], gradients: [String: Tensor], lr: Float,
                                decays: (String) -> Bool = { _ in true }) {
        step += 1
        let c1 = 1 - Float(Foundation.pow(Double(beta1), Double(step)))
        let c2 = 1 - Float(Foundation.pow(Double(beta2), Double(step)))
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        for name in gradients.keys.sorted() {
            guard let g = gradients[name], var p = parameters[name] else { continue }
            precondition(g.shape == p.shape, "AdamW: gradient of '\(name)' has shape \(g.shape), parameter \(p.shape)")
            var mt = m[name] ?? Tensor.zeros(p.shape), vt = v[name] ?? Tensor.zeros(p.shape)
            m[name] = nil; v[name] = nil; parameters[name] = nil          // unique storage: update in place
            let decay = decays(name) ? 1 - lr * weightDecay : 1
            g.withUnsafeBufferPointer { pg in
                mt.withUnsafeMutableBufferPointer { pm in
                    vt.withUnsafeMutableBufferPointer { pv in
                        p.withUnsafeMutableBufferPointer { pp in
                            for i in 0..<pp.count {
                                let gi = pg[i]
                                pm[i] = b1 * pm[i] + (1 - b1) * gi
                                pv[i] = b2 * pv[i] + (1 - b2) * gi * gi
                                let mHat = pm[i] / c1, vHat = pv[i] / c2
                                pp[i] = pp[i] * decay - lr * mHat / (vHat.squareRoot() + eps)
                            }
                        }
                    }
                }
            }
            m[name] = mt; v[name] = vt; parameters[name] = p
        }
    }
}

/// Gradient clipping by global norm.
public enum GradientClipping {
    /// The L2 norm of all gradients together (accumulated in Double, sorted name order).
    public static func globalNorm(_ gradients: [String: Tensor]) -> Float {
        var total = 0.0
        for name in gradients.keys.sorted() {
            gradients[name]?.withUnsafeBufferPointer { p in
                for x in p { total += Double(x) * Double(x) }
            }
        }
        return Float(total.squareRoot())
    }

    /// Scales all gradients by `maxNorm / norm` when their global norm exceeds `maxNorm`; returns
    /// the norm before clipping.
    @discardableResult
    public static func clip(_ gradients: inout [String: Tensor], maxNorm: Float) -> Float {
        let norm = globalNorm(gradients)
        guard norm > maxNorm, norm.isFinite, maxNorm > 0 else { return norm }
        let scale = maxNorm / norm
        for name in gradients.keys.sorted() {
            guard var g = gradients[name] else { continue }
            gradients[name] = nil
            g *= scale
            gradients[name] = g
        }
        return norm
    }
}

/// Linear warm-up to a peak learning rate, then cosine decay to `minRatio · peak` at `totalSteps`.
public struct LearningRateSchedule: Sendable, Codable, Equatable {
    public var peak: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    /// The final rate as a fraction of the peak (0 decays to zero; 1 keeps the peak after warm-up).
    public var minRatio: Float

    public init(peak: Float, warmupSteps: Int, totalSteps: Int, minRatio: Float = 0.1) {
        self.peak = peak
        self.warmupSteps = max(warmupSteps, 0)
        self.totalSteps = max(totalSteps, 1)
        self.minRatio = minRatio
    }

    /// The rate for step `step` (0-based).
    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let span = max(totalSteps - warmupSteps, 1)
        let progress = min(max(Float(step - warmupSteps) / Float(span), 0), 1)
        let cosine = 0.5 * (1 + Float(Foundation.cos(Double.pi * Double(progress))))
        return peak * (minRatio + (1 - minRatio) * cosine)
    }
}
