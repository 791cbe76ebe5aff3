import Randomness
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Each row divided by its L2 norm (floored at ε): [N, D] → [N, D] (the seed's era-A `ln` layer).
public func l2Normalize(_ x: Variable, epsilon: Float = 1e-12) -> Variable {
    let n = x.shape[0], d = x.value.count / x.shape[0]
    var norms = [Float](repeating: 0, count: n)
    var y = x.value
    for row in 0..<n {
        var sum: Float = 0
        for column in 0..<d { sum += x.value.scalars[row * d + column] * x.value.scalars[row * d + column] }
        norms[row] = max(sum.squareRoot(), epsilon)
        for column in 0..<d { y.scalars[row * d + column] /= norms[row] }
    }
    return x.record(y, [x]) { dy in
        var dx = Tensor(zeros: x.shape)
        for row in 0..<n {
            var dot: Float = 0
            for column in 0..<d { dot += dy.scalars[row * d + column] * y.scalars[row * d + column] }
            for column in 0..<d { dx.scalars[row * d + column] = (dy.scalars[row * d + column] - y.scalars[row * d + column] * dot) / norms[row] }
        }
        return [dx]
    }
}

/// Inverted dropout: zeroes each element with probability `rate` and scales the rest by 1/(1 − rate);
/// the identity outside training.
public func dropout(_ x: Variable, rate: Float, training: Bool, using generator: inout SeededGenerator) -> Variable {
    guard training, rate > 0 else { return x }
    let keep = 1 - rate
    let mask = Tensor(shape: x.shape, scalars: (0..<x.value.count).map { _ in generator.nextUnitFloat() < keep ? 1 / keep : 0 })
    let y = x.value.zip(mask, *)
    return x.record(y, [x]) { dy in [dy.zip(mask, *)] }
}

/// Softmax over the last axis of [N, K].
public func softmax(_ x: Variable) -> Variable {
    let y = softmaxValues(x.value)
    let k = x.shape.last!
    return x.record(y, [x]) { dy in
        var dx = Tensor(zeros: x.shape)
        for row in 0..<(x.value.count / k) {
            var dot: Float = 0
            for column in 0..<k { dot += dy.scalars[row * k + column] * y.scalars[row * k + column] }
            for column in 0..<k { dx.scalars[row * k + column] = y.scalars[row * k + column] * (dy.scalars[row * k + column] - dot) }
        }
        return [dx]
    }
}

/// Row-wise softmax values, stabilised by the row maximum.
func softmaxValues(_ x: Tensor) -> Tensor {
    let k = x.shape.last!
    var y = x
    for row in 0..<(x.count / k) {
        let base = row * k
        var peak = -Float.infinity
        for column in 0..<k { peak = max(peak, x.scalars[base + column]) }
        var total: Float = 0
        for column in 0..<k { let e = expf(x.scalars[base + column] - peak); y.scalars[base + column] = e; total += e }
        for column in 0..<k { y.scalars[base + column] /= total }
    }
    return y
}
