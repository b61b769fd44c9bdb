// AdamW against a hand-computed step, gradient clipping, and the learning-rate schedule.
import Tensor
import XCTest

final class OptimTests: XCTestCase {
    func testAdamWFirstStepsByHand() {
        var opt = AdamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1)
        var params = ["w": Tensor([1, -2]), "b": Tensor([0.5])]
        let grads = ["w": Tensor([0.5, -1]), "b": Tensor([2])]
        opt.update(&params, gradients: grads, lr: 0.01) { $0 == "w" }
        // Step 1: m̂ = g, v̂ = g², so the Adam step is lr·sign(g) (up to ε); decay multiplies by 1 − lr·wd.
        XCTAssertEqual(params["w"]?.scalars[0] ?? 0, 1 * (1 - 0.001) - 0.01, accuracy: 1e-6)
        XCTAssertEqual(params["w"]?.scalars[1] ?? 0, -2 * (1 - 0.001) + 0.01, accuracy: 1e-6)
        XCTAssertEqual(params["b"]?.scalars[0] ?? 0, 0.5 - 0.01, accuracy: 1e-6)
        // Step 2 with gradient 0: m = 0.9·g·0.1, v = 0.999·g²·0.001; m̂ = 0.09g/0.19, v̂ = 0.000999g²/0.001999.
        opt.update(&params, gradients: ["b": Tensor([0])], lr: 0.01)
        let mHat = 0.09 * 2 / 0.19, vHat = 0.000999 * 4 / 0.001999
        XCTAssertEqual(params["b"]?.scalars[0] ?? 0, Float(0.49 * (1 - 0.001) - 0.01 * mHat / (vHat.squareRoot() + 1e-8)), accuracy: 1e-6)
        XCTAssertEqual(opt.step, 2)
    }

    func testAdamWMinimisesAQuadratic() {
        var opt = AdamW(weightDecay: 0)
        var params = ["x": Tensor([3, -4])]
        for _ in 0..<400 {
            let x = params["x"] ?? Tensor([0])
            opt.update(&params, gradients: ["x": x * 2], lr: 0.05)        // d/dx Σ x²
        }
        XCTAssertLessThan(params["x"].map { $0.abs().max() } ?? 1, 0.05)
    }

    func testClippingByGlobalNorm() {
        var grads = ["a": Tensor([3]), "b": Tensor([4])]
        XCTAssertEqual(GradientClipping.globalNorm(grads), 5)
        XCTAssertEqual(GradientClipping.clip(&grads, maxNorm: 1), 5)
        XCTAssertEqual(grads["a"]?.scalars[0] ?? 0, 0.6, accuracy: 1e-6)
        XCTAssertEqual(grads["b"]?.scalars[0] ?? 0, 0.8, accuracy: 1e-6)
        XCTAssertEqual(GradientClipping.clip(&grads, maxNorm: 10), 1, accuracy: 1e-6)
        XCTAssertEqual(grads["b"]?.scalars[0] ?? 0, 0.8, accuracy: 1e-6)
    }

    func testWarmupThenCosine() {
        let s = LearningRateSchedule(peak: 1, warmupSteps: 10, totalSteps: 110, minRatio: 0.1)
        XCTAssertEqual(s.rate(at: 0), 0.1, accuracy: 1e-6)
        XCTAssertEqual(s.rate(at: 9), 1, accuracy: 1e-6)
        XCTAssertEqual(s.rate(at: 10), 1, accuracy: 1e-6)
        XCTAssertEqual(s.rate(at: 60), 0.55, accuracy: 1e-5)            // half way: 0.1 + 0.9 · 0.5
        XCTAssertEqual(s.rate(at: 110), 0.1, accuracy: 1e-6)
        XCTAssertEqual(s.rate(at: 500), 0.1, accuracy: 1e-6)
    }
}
