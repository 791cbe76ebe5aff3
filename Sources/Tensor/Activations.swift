#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// Activations: forward and backward side by side. Shapes are preserved. Each kernel is a plain
// loop over raw buffers (split across threads), so LLVM vectorises it.

/// y[i] = f(x[i]) over raw buffers, in parallel chunks.
@inline(__always)
func elementwise(_ x: Tensor, _ body: (_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ range: Range<Int>) -> Void) -> Tensor {
    var y = Tensor(uninitializedShape: x.shape)
    x.scalars.withUnsafeBufferPointer { input in
        y.scalars.withUnsafeMutableBufferPointer { output in
            let i = input.baseAddress!, o = output.baseAddress!
            Parallel.chunks(x.count, minimumPerChunk: 1 << 16) { _, range in body(i, o, range) }
        }
    }
    return y
}

/// out[i] = f(g[i], v[i]) for a gradient g and a saved tensor v, in parallel chunks.
@inline(__always)
func elementwise(_ g: Tensor, _ v: Tensor, _ body: (_ gradient: UnsafePointer<Float>, _ saved: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ range: Range<Int>) -> Void) -> Tensor {
    var y = Tensor(uninitializedShape: g.shape)
    g.scalars.withUnsafeBufferPointer { gradient in
        v.scalars.withUnsafeBufferPointer { saved in
            y.scalars.withUnsafeMutableBufferPointer { output in
                let gp = gradient.baseAddress!, sp = saved.baseAddress!, o = output.baseAddress!
                Parallel.chunks(g.count, minimumPerChunk: 1 << 16) { _, range in body(gp, sp, o, range) }
            }
        }
    }
    return y
}

/// max(x, 0).
public func relu(_ x: Variable) -> Variable {
    let y = elementwise(x.value) { i, o, range in for k in range { o[k] = max(i[k], 0) } }
    return x.record(y, [x]) { dy in [elementwise(dy, y) { g, out, o, range in for k in range { o[k] = out[k] > 0 ? g[k] : 0 } }] }
}

/// min(max(x, 0), ceiling): DeepSpeaker's clipped ReLU (ceiling 20).
public func clippedReLU(_ x: Variable, ceiling: Float = 20) -> Variable {
    let y = elementwise(x.value) { i, o, range in for k in range { o[k] = min(max(i[k], 0), ceiling) } }
    return x.record(y, [x]) { dy in
        [elementwise(dy, x.value) { g, input, o, range in for k in range { o[k] = input[k] > 0 && input[k] < ceiling ? g[k] : 0 } }]
    }
}

/// x for x > 0, α(eˣ − 1) otherwise (Keras ELU, α = 1).
public func elu(_ x: Variable, alpha: Float = 1) -> Variable {
    let y = elementwise(x.value) { i, o, range in for k in range { o[k] = i[k] > 0 ? i[k] : alpha * (vectorExp(i[k]) - 1) } }
    return x.record(y, [x]) { dy in [elementwise(dy, y) { g, out, o, range in for k in range { o[k] = out[k] > 0 ? g[k] : g[k] * (out[k] + alpha) } }] }
}

/// x for x > 0, slope·x otherwise.
public func leakyReLU(_ x: Variable, slope: Float = 0.01) -> Variable {
    let y = elementwise(x.value) { i, o, range in for k in range { o[k] = i[k] > 0 ? i[k] : slope * i[k] } }
    return x.record(y, [x]) { dy in [elementwise(dy, x.value) { g, input, o, range in for k in range { o[k] = input[k] > 0 ? g[k] : g[k] * slope } }] }
}

/// 1 / (1 + e^−x).
public func sigmoid(_ x: Variable) -> Variable {
    let y = elementwise(x.value) { i, o, range in for k in range { o[k] = 1 / (1 + vectorExp(-i[k])) } }
    return x.record(y, [x]) { dy in [elementwise(dy, y) { g, out, o, range in for k in range { o[k] = g[k] * out[k] * (1 - out[k]) } }] }
}

/// tanh x.
public func tanh(_ x: Variable) -> Variable {
    let y = elementwise(x.value) { i, o, range in for k in range { o[k] = tanhf(i[k]) } }
    return x.record(y, [x]) { dy in [elementwise(dy, y) { g, out, o, range in for k in range { o[k] = g[k] * (1 - out[k] * out[k]) } }] }
}
