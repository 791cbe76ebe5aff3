import Randomness
import Tensor

/// Whether a forward pass trains (batch statistics, dropout) or infers.
public enum Mode: Sendable { case training, inference }

/// A network piece with explicit parameters in a stable order (that order is the checkpoint
/// and optimizer-state order).
public protocol Layer: AnyObject {
    /// Every trainable parameter, in a fixed order.
    var parameters: [Parameter] { get }
    /// Non-trainable state saved in checkpoints (batch-norm running statistics), in a fixed order.
    var buffers: [(name: String, tensor: Tensor)] { get }
    /// Restores the buffers from a checkpoint, by name.
    func loadBuffers(_ buffers: [String: Tensor]) throws
}

extension Layer {
    public var buffers: [(name: String, tensor: Tensor)] { [] }
    public func loadBuffers(_ buffers: [String: Tensor]) throws {}
}

/// Glorot (Xavier) uniform initialisation, Keras's default for conv and dense kernels:
/// U(−l, l) with l = √(6 / (fan_in + fan_out)).
public func glorotUniform(shape: [Int], fanIn: Int, fanOut: Int, using generator: inout SeededGenerator) -> Tensor {
    let limit = (6 / Float(fanIn + fanOut)).squareRoot()
    return Tensor(shape: shape, scalars: (0..<Tensor.elementCount(shape)).map { _ in (generator.nextUnitFloat() * 2 - 1) * limit })
}

/// A 2-D convolution layer over NHWC with a [kh, kw, C_in, C_out] kernel and optional bias.
public final class Conv2D: Layer {
    public let kernel: Parameter
    public let bias: Parameter?
    public let stride: (Int, Int)
    public let dilation: (Int, Int)
    public let padding: Padding

    /// Creates the layer with Glorot-uniform kernel and zero bias; `l2` is the kernel's penalty coefficient.
    public init(name: String, inputChannels: Int, outputChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                dilation: (Int, Int) = (1, 1), padding: Padding = .same, useBias: Bool = true, l2: Float = 0,
                using generator: inout SeededGenerator) {
        let receptive = kernelSize.0 * kernelSize.1
        kernel = Parameter(name: name + ".kernel",
                           value: glorotUniform(shape: [kernelSize.0, kernelSize.1, inputChannels, outputChannels],
                                                fanIn: receptive * inputChannels, fanOut: receptive * outputChannels, using: &generator),
                           l2: l2)
        bias = useBias ? Parameter(name: name + ".bias", value: Tensor(zeros: [outputChannels])) : nil
        self.stride = stride
        self.dilation = dilation
        self.padding = padding
    }

    public var parameters: [Parameter] { [kernel] + (bias.map { [$0] } ?? []) }

    /// [N, H, W, C_in] → [N, H', W', C_out].
    public func callAsFunction(_ x: Variable, tape: Tape) -> Variable {
        conv2d(x, kernel: kernel.on(tape), bias: bias?.on(tape), stride: stride, dilation: dilation, padding: padding)
    }
}

/// A fully connected layer: [N, in] → [N, out].
public final class Dense: Layer {
    public let weight: Parameter
    public let bias: Parameter?

    /// Creates the layer with Glorot-uniform weights and zero bias; `l2` is the kernel's penalty coefficient.
    public init(name: String, inputs: Int, outputs: Int, useBias: Bool = true, l2: Float = 0, using generator: inout SeededGenerator) {
        weight = Parameter(name: name + ".kernel", value: glorotUniform(shape: [inputs, outputs], fanIn: inputs, fanOut: outputs, using: &generator), l2: l2)
        bias = useBias ? Parameter(name: name + ".bias", value: Tensor(zeros: [outputs])) : nil
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    /// [N, in] → [N, out].
    public func callAsFunction(_ x: Variable, tape: Tape) -> Variable {
        dense(x, weight: weight.on(tape), bias: bias?.on(tape))
    }
}

/// Batch normalisation with learned scale and offset and running statistics.
public final class BatchNorm: Layer {
    public let scale: Parameter
    public let offset: Parameter
    public let statistics: BatchNormStatistics
    public let momentum: Float
    public let epsilon: Float
    /// The layer's name, the prefix of its tensors' names.
    public let name: String

    /// Creates the layer; the defaults are Keras's (momentum 0.99, ε 1e-3).
    public init(name: String, channels: Int, momentum: Float = 0.99, epsilon: Float = 1e-3) {
        self.name = name
        scale = Parameter(name: name + ".gamma", value: Tensor(repeating: 1, shape: [channels]))
        offset = Parameter(name: name + ".beta", value: Tensor(zeros: [channels]))
        statistics = BatchNormStatistics(channels: channels)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public var parameters: [Parameter] { [scale, offset] }

    public var buffers: [(name: String, tensor: Tensor)] {
        [(name + ".moving_mean", statistics.mean), (name + ".moving_variance", statistics.variance)]
    }

    public func loadBuffers(_ buffers: [String: Tensor]) throws {
        if let mean = buffers[name + ".moving_mean"] { statistics.mean = mean }
        if let variance = buffers[name + ".moving_variance"] { statistics.variance = variance }
    }

    /// Normalises over every axis but the last.
    public func callAsFunction(_ x: Variable, tape: Tape, mode: Mode) -> Variable {
        batchNorm(x, scale: scale.on(tape), offset: offset.on(tape), statistics: statistics, training: mode == .training,
                  momentum: momentum, epsilon: epsilon)
    }
}
