import Randomness
import Tensor

/// A leaf that stores the gradient it receives (a stand-in for a parameter).
public final class GradientCollector: GradientSink {
    /// The gradient received, or nil.
    public var gradient: Tensor?
    public init() {}
    public func accumulate(_ gradient: Tensor) {
        if self.gradient == nil { self.gradient = gradient } else { self.gradient!.add(gradient) }
    }
}

/// Compares an op's analytical gradients with central finite differences.
///
/// The op's output is reduced to a scalar by a fixed random projection, L = Σ y·R, so every
/// output element's gradient path is exercised. Returns the worst error per input, measured as
/// |analytic − numeric| / max(1, |numeric|).
public func gradientErrors(_ inputs: [Tensor], step: Float = 1e-2, seed: UInt64 = 1, _ op: ([Variable]) -> Variable) -> [Double] {
    var generator = SeededGenerator(seed: seed)
    let probe = op(inputs.map(\.constant)).value
    let projection = Tensor(shape: probe.shape, scalars: (0..<probe.count).map { _ in Float(generator.nextGaussian()) })
    func loss(_ values: [Tensor]) -> Double {
        let output = op(values.map(\.constant)).value
        var total = 0.0
        for index in 0..<output.count { total += Double(output.scalars[index]) * Double(projection.scalars[index]) }
        return total
    }
    let tape = Tape()
    let collectors = inputs.map { _ in GradientCollector() }
    let leaves = zip(inputs, collectors).map { tape.leaf($0, sink: $1) }
    let output = op(leaves)
    let projected = sumAll(multiply(output, tape.constant(projection)))
    tape.backward(from: projected)
    return inputs.indices.map { which in
        let analytic = collectors[which].gradient ?? Tensor(zeros: inputs[which].shape)
        var worst = 0.0
        for index in 0..<inputs[which].count {
            var plus = inputs, minus = inputs
            plus[which].scalars[index] += step
            minus[which].scalars[index] -= step
            let numeric = (loss(plus) - loss(minus)) / (2 * Double(step))
            worst = max(worst, abs(Double(analytic.scalars[index]) - numeric) / max(1, abs(numeric)))
        }
        return worst
    }
}

/// A tensor of standard-normal values.
public func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor(shape: shape, scalars: (0..<Tensor.elementCount(shape)).map { _ in Float(generator.nextGaussian()) * scale })
}
