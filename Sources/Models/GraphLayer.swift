import NN
import Tensor

/// An activation function named in a model graph.
public enum ActivationKind: String, Sendable, CaseIterable {
    case relu, elu, sigmoid, tanh, linear
    case clippedReLU = "clipped_relu"
    case leakyReLU = "leaky_relu"

    func apply(_ x: Variable) -> Variable { activate(self, x) }
}

/// Applies an activation (a free function: inside the enum, the case names would shadow the ops).
private func activate(_ kind: ActivationKind, _ x: Variable) -> Variable {
    switch kind {
    case .relu: return relu(x)
    case .clippedReLU: return clippedReLU(x, ceiling: 20)
    case .elu: return elu(x)
    case .leakyReLU: return leakyReLU(x, slope: 0.3)  // Keras LeakyReLU default α
    case .sigmoid: return sigmoid(x)
    case .tanh: return tanh(x)
    case .linear: return x
    }
}

/// One built layer of a model graph, with its output shape (without the batch axis).
public indirect enum GraphLayer {
    case conv(Conv2D)
    case batchNorm(BatchNorm)
    case activation(ActivationKind)
    case maxPool(size: (Int, Int), stride: (Int, Int), padding: Padding)
    case averagePool(size: (Int, Int), stride: (Int, Int), padding: Padding)
    case globalAveragePool
    case globalMaxPool
    case mean(axes: Set<Int>)
    case statisticsPool
    case timeByFeatures
    case dense(Dense)
    case dropout(rate: Float)
    case l2Normalize
    case residual(body: [GraphLayer], shortcut: [GraphLayer]?)
    case squeezeExcite(squeeze: Dense, excite: Dense)
    case channelAttention(hidden: Dense, output: Dense)

    /// Trainable parameters in a stable order.
    var parameters: [Parameter] {
        switch self {
        case let .conv(layer): return layer.parameters
        case let .batchNorm(layer): return layer.parameters
        case let .dense(layer): return layer.parameters
        case let .residual(body, shortcut): return body.flatMap(\.parameters) + (shortcut ?? []).flatMap(\.parameters)
        case let .squeezeExcite(squeeze, excite): return squeeze.parameters + excite.parameters
        case let .channelAttention(hidden, output): return hidden.parameters + output.parameters
        default: return []
        }
    }

    /// Batch-norm layers (for running statistics in checkpoints), in order.
    var batchNorms: [BatchNorm] {
        switch self {
        case let .batchNorm(layer): return [layer]
        case let .residual(body, shortcut): return body.flatMap(\.batchNorms) + (shortcut ?? []).flatMap(\.batchNorms)
        default: return []
        }
    }

    /// Applies the layer to a batch.
    func forward(_ x: Variable, tape: Tape, mode: Mode, dropout generator: inout Randomness.SeededGenerator) -> Variable {
        forwardLayer(self, x, tape: tape, mode: mode, generator: &generator)
    }
}

/// The forward pass of one layer (a free function: inside the enum, case names such as `dense`
/// and `dropout` would shadow the ops of the same name).
private func forwardLayer(_ layer: GraphLayer, _ x: Variable, tape: Tape, mode: Mode, generator: inout Randomness.SeededGenerator) -> Variable {
    switch layer {
    case let .conv(convolution): return convolution(x, tape: tape)
    case let .batchNorm(normalisation): return normalisation(x, tape: tape, mode: mode)
    case let .activation(kind): return kind.apply(x)
    case let .maxPool(size, stride, padding): return maxPool2d(x, size: size, stride: stride, padding: padding)
    case let .averagePool(size, stride, padding): return averagePool2d(x, size: size, stride: stride, padding: padding)
    case .globalAveragePool: return globalAveragePool(x)
    case .globalMaxPool: return globalMaxPool(x)
    case let .mean(axes): return mean(x, axes: axes)
    case .statisticsPool: return statisticsPooling(x)
    case .timeByFeatures: return reshape(x, [x.shape[0], x.shape[1], x.value.count / (x.shape[0] * x.shape[1])])
    case let .dense(fullyConnected): return fullyConnected(x, tape: tape)
    case let .dropout(rate): return dropout(x, rate: rate, training: mode == .training, using: &generator)
    case .l2Normalize: return l2Normalize(x)
    case let .residual(body, shortcut):
        var main = x
        for inner in body { main = inner.forward(main, tape: tape, mode: mode, dropout: &generator) }
        var skip = x
        for inner in shortcut ?? [] { skip = inner.forward(skip, tape: tape, mode: mode, dropout: &generator) }
        return add(main, skip)
    case let .squeezeExcite(squeeze, excite):
        let scales = sigmoid(excite(relu(squeeze(globalAveragePool(x), tape: tape)), tape: tape))
        return multiply(x, reshape(scales, [x.shape[0], 1, 1, x.shape[3]]))
    case let .channelAttention(hidden, output):
        func mlp(_ v: Variable) -> Variable { output(relu(hidden(v, tape: tape)), tape: tape) }
        let scales = sigmoid(add(mlp(globalAveragePool(x)), mlp(globalMaxPool(x))))
        return multiply(x, reshape(scales, [x.shape[0], 1, 1, x.shape[3]]))
    }
}

import Randomness
