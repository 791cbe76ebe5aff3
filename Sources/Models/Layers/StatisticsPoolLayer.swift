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

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        guard shape.count >= 2 else { throw arguments.error("stats_pool needs a time axis; the input here is \(ModelSummary.describe(shape))") }
        let output = [2 * shape.dropFirst().reduce(1, *)]
        builder.record(builder.uniqueName("statistics_pooling"), kind: "StatisticsPooling", output: output)
        return BuiltLayers(StatisticsPoolLayer(), output: output)
    }
}
