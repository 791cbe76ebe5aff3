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

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        let n = normalisation, channels = n.scale.value.count
        if x.isFeatureMap {
            let inputs = [x.name] + [(n.scale, "gamma"), (n.offset, "beta")].map { graph.constant($0.0.name, shape: [channels], values: $0.0.value.scalars) }
                + [graph.constant(n.name + ".moving_mean", shape: [channels], values: n.statistics.mean.scalars),
                   graph.constant(n.name + ".moving_variance", shape: [channels], values: n.statistics.variance.scalars)]
            return .init(name: graph.add("BatchNormalization", inputs, ["epsilon": .number(n.epsilon)]), isFeatureMap: true)
        }
        // Over the last axis of a vector or sequence: the affine map inference applies.
        let factor = (0..<channels).map { n.scale.value.scalars[$0] / (n.statistics.variance.scalars[$0] + n.epsilon).squareRoot() }
        let shift = (0..<channels).map { n.offset.value.scalars[$0] - n.statistics.mean.scalars[$0] * factor[$0] }
        let scaled = graph.add("Mul", [x.name, graph.constant(n.name + ".factor", shape: [channels], values: factor)])
        return .init(name: graph.add("Add", [scaled, graph.constant(n.name + ".shift", shape: [channels], values: shift)]), isFeatureMap: false)
    }

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
