import NN
import Tensor

/// `global_max_pool`: the maximum over time and frequency, one value per channel.
struct GlobalMaxPoolLayer: LayerKind, GraphLayer {
    static let word = "global_max_pool"
    static let arguments: [String] = []
    static let summary = "the maximum over time and frequency, one value per channel"

    var parameters: [Parameter] { [] }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable { globalMaxPool(x) }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        .init(name: graph.add("ReduceMax", [x.name, graph.integers([2, 3])], ["keepdims": .integer(0)]), isFeatureMap: false)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        try requireFeatureMap(arguments, shape)
        builder.record(builder.uniqueName(word), kind: "GlobalPooling2D", output: [shape[2]])
        return BuiltLayers(GlobalMaxPoolLayer(), output: [shape[2]])
    }
}
