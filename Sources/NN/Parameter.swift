import Tensor

/// A trainable tensor and its accumulated gradient.
public final class Parameter: GradientSink {
    /// A stable name, the key in checkpoints (`block1.conv.kernel`).
    public let name: String
    /// The current value.
    public var value: Tensor
    /// The gradient accumulated since the last `zeroGradient()`.
    public private(set) var gradient: Tensor
    /// Whether L2 weight decay applies (Keras `kernel_regularizer=l2(…)`; conv kernels in the seed).
    public var decays: Bool

    /// Creates a parameter with a zero gradient.
    public init(name: String, value: Tensor, decays: Bool = false) {
        self.name = name
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
        self.decays = decays
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

/// The L2 penalty Σ λ·w² over the decaying parameters, added to the loss as Keras does; its
/// gradient 2λw is added straight into each parameter's gradient.
public enum WeightDecay {
    /// Returns the penalty and adds its gradient.
    @discardableResult
    public static func apply(_ coefficient: Float, to parameters: [Parameter]) -> Float {
        var penalty: Double = 0
        for parameter in parameters where parameter.decays {
            parameter.value.scalars.withUnsafeBufferPointer { w in
                for index in 0..<w.count { penalty += Double(coefficient * w[index] * w[index]) }
            }
            parameter.addToGradient(scaledValue: 2 * coefficient)
        }
        return Float(penalty)
    }
}
