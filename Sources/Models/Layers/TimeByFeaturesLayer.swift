import NN
import Tensor

/// `time_by_features`: reshapes time × frequency × channels to time × (frequency·channels).
struct TimeByFeaturesLayer: LayerKind, GraphLayer {
    static let word = "time_by_features"
    static let arguments: [String] = []
    static let summary = "reshapes time × frequency × channels to time × (frequency · channels)"

    var parameters: [Parameter] { [] }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable {
        reshape(x, [x.shape[0], x.shape[1], x.value.count / (x.shape[0] * x.shape[1])])
    }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        .init(name: graph.add("Reshape", [graph.natural(x), graph.integers([0, 0, -1])]), isFeatureMap: false)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        try requireFeatureMap(arguments, shape)
        let output = [shape[0], shape[1] * shape[2]]
        builder.record(builder.uniqueName("reshape"), kind: "Reshape", output: output)
        return BuiltLayers(TimeByFeaturesLayer(), output: output)
    }
}
