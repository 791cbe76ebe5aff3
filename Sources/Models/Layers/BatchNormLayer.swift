import NN
import Tensor

/// `batchnorm: {momentum, epsilon}`: batch normalisation over the last axis (Keras
/// `BatchNormalization`, momentum the share the running average keeps).
struct BatchNormLayer: LayerKind, GraphLayer {
    static let word = "batchnorm"
    static let arguments = ["momentum", "epsilon"]
    static let summary = "batch normalisation over the last axis; momentum (0 < m < 1, default 0.99, the share the running average keeps), epsilon (0 < ε ≤ 1, default 0.001)"

    let normalisation: BatchNorm

    var parameters: [Parameter] { normalisation.parameters }
    var batchNorms: [BatchNorm] { [normalisation] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable { normalisation(x, tape: pass.tape, mode: pass.mode) }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        let channels = shape.last!
        let momentum = try arguments.number("momentum", default: 0.99, in: .open(0, 1))
        let epsilon = try arguments.number("epsilon", default: 1e-3, in: .init(lower: 0, lowerInclusive: false, upper: 1, upperInclusive: true))
        try builder.reserve(parameters: 2 * channels, for: arguments)
        let name = builder.uniqueName("batch_normalization")
        let layer = BatchNorm(name: name, channels: channels, momentum: Float(builder.momentumOverride ?? momentum), epsilon: Float(epsilon))
        builder.record(name, kind: "BatchNormalization", output: shape, parameters: layer.parameters, nonTrainable: 2 * channels)
        return BuiltLayers(BatchNormLayer(normalisation: layer), output: shape)
    }
}
