import NN
import Tensor

/// `l2_normalize`: scales each embedding to unit length.
struct L2NormalizeLayer: LayerKind, GraphLayer {
    static let word = "l2_normalize"
    static let arguments: [String] = []
    static let summary = "scales each embedding to unit length"

    var parameters: [Parameter] { [] }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable { l2Normalize(x) }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        guard !x.isFeatureMap else { throw ExportError("l2_normalize on a feature map cannot be exported; normalise the embedding vector") }
        let norm = graph.add("ReduceL2", [x.name, graph.integers([-1])], ["keepdims": .integer(1)])
        let floored = graph.add("Max", [norm, graph.constant("l2_epsilon", shape: [], values: [1e-12])])
        return .init(name: graph.add("Div", [x.name, floored]), isFeatureMap: false)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        builder.record(builder.uniqueName("l2_normalize"), kind: "Lambda", output: shape)
        return BuiltLayers(L2NormalizeLayer(), output: shape)
    }
}
