/// eˣ as branch-free scalar code that LLVM's loop vectoriser turns into SIMD (libm's `expf` is a
/// call per element and stays scalar).
///
/// Cephes `expf`: n = round(x·log2 e), r = x − n·ln 2 (in two parts for accuracy), eʳ by a degree-6
/// polynomial, then scaled by 2ⁿ through the exponent bits. Relative error about 2 ulp for
/// x in [−87, 88]; inputs are clamped to that range (ELU and sigmoid never need more).
@inline(__always)
func vectorExp(_ input: Float) -> Float {
    let x = min(max(input, -87.3), 88.3)
    let n = (x * 1.442_695_040_9).rounded(.toNearestOrEven)
    let r = x - n * 0.693_359_375 + n * 2.121_944_40e-4
    let z = r * r
    var p: Float = 1.987_569_150_0e-4
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    let er = p * z + r + 1
    let scale = Float(bitPattern: UInt32(truncatingIfNeeded: Int32(n) + 127) << 23)
    return er * scale
}
