#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// Activations: forward and backward side by side. Shapes are preserved.

/// max(x, 0).
public func relu(_ x: Variable) -> Variable {
    let y = x.value.map { max($0, 0) }
    return x.record(y, [x]) { dy in [dy.zip(y) { g, out in out > 0 ? g : 0 }] }
}

/// min(max(x, 0), ceiling): DeepSpeaker's clipped ReLU (ceiling 20).
public func clippedReLU(_ x: Variable, ceiling: Float = 20) -> Variable {
    let y = x.value.map { min(max($0, 0), ceiling) }
    return x.record(y, [x]) { dy in [dy.zip(x.value) { g, input in input > 0 && input < ceiling ? g : 0 }] }
}

/// x for x > 0, α(eˣ − 1) otherwise (Keras ELU, α = 1).
public func elu(_ x: Variable, alpha: Float = 1) -> Variable {
    let y = x.value.map { $0 > 0 ? $0 : alpha * (expf($0) - 1) }
    return x.record(y, [x]) { dy in [dy.zip(y) { g, out in out > 0 ? g : g * (out + alpha) }] }
}

/// x for x > 0, slope·x otherwise.
public func leakyReLU(_ x: Variable, slope: Float = 0.01) -> Variable {
    let y = x.value.map { $0 > 0 ? $0 : slope * $0 }
    return x.record(y, [x]) { dy in [dy.zip(x.value) { g, input in input > 0 ? g : g * slope }] }
}

/// 1 / (1 + e^−x).
public func sigmoid(_ x: Variable) -> Variable {
    let y = x.value.map { 1 / (1 + expf(-$0)) }
    return x.record(y, [x]) { dy in [dy.zip(y) { g, out in g * out * (1 - out) }] }
}

/// tanh x.
public func tanh(_ x: Variable) -> Variable {
    let y = x.value.map { tanhf($0) }
    return x.record(y, [x]) { dy in [dy.zip(y) { g, out in g * (1 - out * out) }] }
}
