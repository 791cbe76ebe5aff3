import NN
import Tensor

/// `squeeze_excite: {ratio, bias}`: scales each channel by a gate computed from its global
/// average (Hu et al., SE-ResNet).
struct SqueezeExciteLayer: LayerKind, GraphLayer {
    static let word = "squeeze_excite"
    static let arguments = ["ratio", "bias"]
    static let summary = "squeeze-excite: each channel scaled by a gate (channels → channels/ratio → channels, ratio default 8) of its global average"

    let gate: ChannelGate

    var parameters: [Parameter] { gate.parameters }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable {
        let scales = sigmoid(gate(globalAveragePool(x), tape: pass.tape))
        return multiply(x, reshape(scales, [x.shape[0], 1, 1, x.shape[3]]))
    }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        let pooled = ExportGraph.Value(name: graph.add("ReduceMean", [x.name, graph.integers([2, 3])], ["keepdims": .integer(0)]), isFeatureMap: false)
        let scales = graph.add("Sigmoid", [try gate.export(pooled, &graph).name])
        return .init(name: graph.add("Mul", [x.name, graph.add("Unsqueeze", [scales, graph.integers([2, 3])])]), isFeatureMap: true)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        let gate = try ChannelGate.build(arguments, input: shape, builder: &builder, summaryKind: "SqueezeExcite")
        return BuiltLayers(SqueezeExciteLayer(gate: gate), output: shape)
    }
}
