import NN
import Tensor

/// `global_average_pool`: the mean over time and frequency, one value per channel.
struct GlobalAveragePoolLayer: LayerKind, GraphLayer {
    static let word = "global_average_pool"
    static let arguments: [String] = []
    static let summary = "the mean over time and frequency, one value per channel"

    var parameters: [Parameter] { [] }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable { globalAveragePool(x) }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        .init(name: graph.add("ReduceMean", [x.name, graph.integers([2, 3])], ["keepdims": .integer(0)]), isFeatureMap: false)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        try requireFeatureMap(arguments, shape)
        builder.record(builder.uniqueName(word), kind: "GlobalPooling2D", output: [shape[2]])
        return BuiltLayers(GlobalAveragePoolLayer(), output: [shape[2]])
    }
}
