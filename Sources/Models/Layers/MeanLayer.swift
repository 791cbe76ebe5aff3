import NN
import Tensor

/// `mean: {axes: [1]}`: the mean over the listed axes (axis 0 is the batch; 1 is time).
struct MeanLayer: LayerKind, GraphLayer {
    static let word = "mean"
    static let arguments = ["axes"]
    static let summary = "the mean over the listed axes (1 is time; 0, the batch, cannot be listed)"

    let axes: Set<Int>

    var parameters: [Parameter] { [] }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable { mean(x, axes: axes) }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        let natural = graph.natural(x)
        return .init(name: graph.add("ReduceMean", [natural, graph.integers(axes.sorted())], ["keepdims": .integer(0)]), isFeatureMap: false)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        let fix = "mean needs axes: a list of distinct axis numbers 1…\(shape.count) (axis 0 is the batch)"
        guard let written = try arguments.node("axes"), let list = written.sequence, !list.isEmpty else { throw arguments.error(fix) }
        let axes = try list.compactMap { try arguments.resolve($0).int }
        guard axes.count == list.count, Set(axes).count == axes.count, axes.allSatisfy({ $0 >= 1 && $0 <= shape.count }) else {
            throw arguments.error(fix, at: written)
        }
        let output = shape.enumerated().filter { !axes.contains($0.offset + 1) }.map(\.element)
        builder.record(builder.uniqueName("mean"), kind: "Mean", output: output)
        return BuiltLayers(MeanLayer(axes: Set(axes)), output: output)
    }
}
