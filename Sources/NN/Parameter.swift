import Tensor

/// A trainable tensor and its accumulated gradient.
public final class Parameter: GradientSink {
    /// A stable name, the key in checkpoints (`block1.conv.kernel`).
    public let name: String
    /// The current value.
    public var value: Tensor
    /// The gradient accumulated since the last `zeroGradient()`.
    public private(set) var gradient: Tensor
    /// The L2 penalty's coefficient λ (Keras `kernel_regularizer=l2(λ)`; the seed's conv kernels
    /// have 1e-5); 0: no penalty.
    public var l2: Float

    /// Creates a parameter with a zero gradient.
    public init(name: String, value: Tensor, l2: Float = 0) {
        self.name = name
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
        self.l2 = l2
    }

    /// Adds a gradient (called by the tape).
    public func accumulate(_ gradient: Tensor) {
        self.gradient.add(gradient)
    }

    /// Adds `factor · value` to the gradient in place (the L2 penalty's gradient).
    public func addToGradient(scaledValue factor: Float) {
        value.scalars.withUnsafeBufferPointer { w in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                let (wBase, gBase) = (w.baseAddress!, g.baseAddress!)
                Parallel.chunks(g.count, minimumPerChunk: 1 << 16) { _, range in
                    for index in range { gBase[index] += factor * wBase[index] }
                }
            }
        }
    }

    /// Clears the gradient before the next step.
    public func zeroGradient() {
        gradient.scalars.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Puts the parameter on a tape as a leaf.
    public func on(_ tape: Tape) -> Variable { tape.leaf(value, sink: self) }
}

/// The L2 penalty Σ λ·w² over the parameters with a coefficient, added to the loss as Keras
/// does; its gradient 2λw is added straight into each parameter's gradient.
public enum WeightDecay {
    /// Returns the penalty and adds its gradient. λ is each parameter's own `l2`, or `replacing`
    /// for every parameter that has one (an experiment's override of the graph's coefficients).
    @discardableResult
    public static func apply(to parameters: [Parameter], replacing override: Float? = nil) -> Float {
        var penalty: Double = 0
        for parameter in parameters where parameter.l2 > 0 {
            let coefficient = override ?? parameter.l2
            parameter.value.scalars.withUnsafeBufferPointer { w in
                for index in 0..<w.count { penalty += Double(coefficient * w[index] * w[index]) }
            }
            parameter.addToGradient(scaledValue: 2 * coefficient)
        }
        return Float(penalty)
    }
}
