/// a + b for equal shapes (residual connections).
public func add(_ a: Variable, _ b: Variable) -> Variable {
    let y = a.value.zip(b.value, +)
    return a.record(y, [a, b]) { dy in [a.requiresGradient ? dy : nil, b.requiresGradient ? dy : nil] }
}

/// a · b element-wise, where b is a's shape or broadcasts over a's middle axes:
/// a [N, …, C] times b [N, 1…, C] (squeeze-excite and channel attention scales).
public func multiply(_ a: Variable, _ b: Variable) -> Variable {
    if a.shape == b.shape {
        let y = a.value.zip(b.value, *)
        return a.record(y, [a, b]) { dy in
            [a.requiresGradient ? dy.zip(b.value, *) : nil, b.requiresGradient ? dy.zip(a.value, *) : nil]
        }
    }
    let batch = a.shape[0], channels = a.shape[a.shape.count - 1]
    precondition(b.shape[0] == batch && b.shape.last == channels && b.value.count == batch * channels,
                 "multiply broadcasts [N, 1…, C] over [N, …, C]; got \(a.shape) and \(b.shape)")
    let inner = a.value.count / (batch * channels)  // positions per sample
    var y = Tensor(zeros: a.shape)
    a.value.scalars.withUnsafeBufferPointer { x in
        b.value.scalars.withUnsafeBufferPointer { s in
            y.scalars.withUnsafeMutableBufferPointer { out in
                Parallel.chunks(batch) { _, samples in
                    for n in samples {
                        for p in 0..<inner {
                            let base = (n * inner + p) * channels
                            for c in 0..<channels { out[base + c] = x[base + c] * s[n * channels + c] }
                        }
                    }
                }
            }
        }
    }
    return a.record(y, [a, b]) { dy in
        var da: Tensor? = nil, db: Tensor? = nil
        if a.requiresGradient {
            var gradient = Tensor(zeros: a.shape)
            dy.scalars.withUnsafeBufferPointer { g in
                b.value.scalars.withUnsafeBufferPointer { s in
                    gradient.scalars.withUnsafeMutableBufferPointer { out in
                        Parallel.chunks(batch) { _, samples in
                            for n in samples {
                                for p in 0..<inner {
                                    let base = (n * inner + p) * channels
                                    for c in 0..<channels { out[base + c] = g[base + c] * s[n * channels + c] }
                                }
                            }
                        }
                    }
                }
            }
            da = gradient
        }
        if b.requiresGradient {
            var gradient = Tensor(zeros: b.shape)
            dy.scalars.withUnsafeBufferPointer { g in
                a.value.scalars.withUnsafeBufferPointer { x in
                    gradient.scalars.withUnsafeMutableBufferPointer { out in
                        Parallel.chunks(batch) { _, samples in
                            for n in samples {
                                for p in 0..<inner {
                                    let base = (n * inner + p) * channels
                                    for c in 0..<channels { out[n * channels + c] += g[base + c] * x[base + c] }
                                }
                            }
                        }
                    }
                }
            }
            db = gradient
        }
        return [da, db]
    }
}

/// k · x for a constant k.
public func scale(_ x: Variable, by k: Float) -> Variable {
    let y = x.value.map { $0 * k }
    return x.record(y, [x]) { dy in [dy.map { $0 * k }] }
}

/// The sum of all elements, as a [1] tensor.
public func sumAll(_ x: Variable) -> Variable {
    let y = Tensor(shape: [1], scalars: [x.value.sum])
    return x.record(y, [x]) { dy in [Tensor(repeating: dy.scalars[0], shape: x.shape)] }
}

/// The mean of all elements, as a [1] tensor.
public func meanAll(_ x: Variable) -> Variable {
    scale(sumAll(x), by: 1 / Float(x.value.count))
}
