import NN
import Tensor

/// `channel_attention: {ratio, bias}`: CBAM's channel attention, one gate shared by the global
/// average and the global maximum, their sum through a sigmoid scaling each channel.
struct ChannelAttentionLayer: LayerKind, GraphLayer {
    static let word = "channel_attention"
    static let arguments = ["ratio", "bias"]
    static let summary = "CBAM's channel attention: one gate (channels → channels/ratio → channels, ratio default 8) over the global average and the global maximum"

    let gate: ChannelGate

    var parameters: [Parameter] { gate.parameters }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable {
        let scales = sigmoid(add(gate(globalAveragePool(x), tape: pass.tape), gate(globalMaxPool(x), tape: pass.tape)))
        return multiply(x, reshape(scales, [x.shape[0], 1, 1, x.shape[3]]))
    }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        let average = ExportGraph.Value(name: graph.add("ReduceMean", [x.name, graph.integers([2, 3])], ["keepdims": .integer(0)]), isFeatureMap: false)
        let maximum = ExportGraph.Value(name: graph.add("ReduceMax", [x.name, graph.integers([2, 3])], ["keepdims": .integer(0)]), isFeatureMap: false)
        let sum = graph.add("Add", [try gate.export(average, &graph).name, try gate.export(maximum, &graph).name])
        let scales = graph.add("Sigmoid", [sum])
        return .init(name: graph.add("Mul", [x.name, graph.add("Unsqueeze", [scales, graph.integers([2, 3])])]), isFeatureMap: true)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        let gate = try ChannelGate.build(arguments, input: shape, builder: &builder, summaryKind: "ChannelAttention")
        return BuiltLayers(ChannelAttentionLayer(gate: gate), output: shape)
    }
}
