// Vectorisable scalar kernels for the hot loops (exp for softmax, tanh for gelu_new).

/// e^x for x ≤ 88, accurate to about 1 ulp; returns 0 below -87 (and for -∞), NaN for NaN.
///
/// Range reduction x = n·ln2 + r with |r| ≤ ln2/2, a degree-7 Taylor polynomial for e^r
/// (truncation error below 1e-8 relative), and 2ⁿ built from its exponent bits. Written without
/// branches or libm calls so the compiler vectorises loops over it.
@inline(__always)
func fastExp(_ x: Float) -> Float {
    let xc: Float = x < -87 ? -87 : (x > 88 ? 88 : x)
    // Round x·log2(e) to the nearest integer with the 1.5·2²³ trick; the integer lands in the low bits.
    let shifted = xc * 1.442_695_04 + 12_582_912.0
    let n = shifted - 12_582_912.0
    let r = (xc - n * 0.693_145_751_953_125) - n * 1.428_606_820_309_417_2e-6
    var p: Float = 1.0 / 5040
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let exponentBits = (shifted.bitPattern &- 0x4B40_0000 &+ 127) << 23
    let result = p * Float(bitPattern: exponentBits)
    return x < -87 ? 0 : (x > 88 ? .infinity : result)
}

/// tanh(x) through e^(-2|x|); absolute error about 1e-7. Odd symmetry is kept exactly.
@inline(__always)
func fastTanh(_ x: Float) -> Float {
    let a = abs(x)
    let e = fastExp(-2 * a)           // in (0, 1]
    let t = (1 - e) / (1 + e)
    return x < 0 ? -t : t
}

/// `fastExp` on four lanes (the SSE width; same algorithm and results as the scalar version).
@inline(__always)
func fastExp(_ x: SIMD4<Float>) -> SIMD4<Float> {
    var xc = x.replacing(with: -87, where: x .< -87)
    xc = xc.replacing(with: 88, where: xc .> 88)
    let shifted = xc * 1.442_695_04 + 12_582_912.0
    let n = shifted - 12_582_912.0
    let r = (xc - n * 0.693_145_751_953_125) - n * 1.428_606_820_309_417_2e-6
    var p = SIMD4<Float>(repeating: 1.0 / 5040)
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let bits = unsafeBitCast(shifted, to: SIMD4<UInt32>.self)
    let exponent = (bits &- 0x4B40_0000 &+ 127) &<< 23
    var result = p * unsafeBitCast(exponent, to: SIMD4<Float>.self)
    result.replace(with: 0, where: x .< -87)
    result.replace(with: .infinity, where: x .> 88)
    return result
}
