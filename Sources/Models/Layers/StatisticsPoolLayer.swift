import NN
import Tensor

/// `stats_pool`: the mean and standard deviation over time, concatenated (x-vector pooling).
struct StatisticsPoolLayer: LayerKind, GraphLayer {
    static let word = "stats_pool"
    static let arguments: [String] = []
    static let summary = "the mean and standard deviation over time, concatenated (x-vector pooling)"

    var parameters: [Parameter] { [] }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable { statisticsPooling(x) }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        // Over time (axis 1 of SpeakerLab's order), every other axis flattened: [N, 2·D].
        let natural = graph.natural(x)
        let sequence = graph.add("Reshape", [natural, graph.integers([0, 0, -1])])
        let mean = graph.add("ReduceMean", [sequence, graph.integers([1])], ["keepdims": .integer(1)])
        let centred = graph.add("Sub", [sequence, mean])
        let variance = graph.add("ReduceMean", [graph.add("Mul", [centred, centred]), graph.integers([1])], ["keepdims": .integer(0)])
        let deviation = graph.add("Sqrt", [graph.add("Add", [variance, graph.constant("statistics_epsilon", shape: [], values: [1e-5])])])
        let flatMean = graph.add("Squeeze", [mean, graph.integers([1])])
        return .init(name: graph.add("Concat", [flatMean, deviation], ["axis": .integer(1)]), isFeatureMap: false)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        guard shape.count >= 2 else { throw arguments.error("stats_pool needs a time axis; the input here is \(ModelSummary.describe(shape))") }
        let output = [2 * shape.dropFirst().reduce(1, *)]
        builder.record(builder.uniqueName("statistics_pooling"), kind: "StatisticsPooling", output: output)
        return BuiltLayers(StatisticsPoolLayer(), output: output)
    }
}
