import NN
import Tensor

/// `pool: {kind, size, stride, padding}`: max or average pooling over time × frequency
/// (stride defaults to the size, as in Keras).
struct PoolLayer: LayerKind, GraphLayer {
    static let word = "pool"
    static let arguments = ["kind", "size", "stride", "padding"]
    static let summary = "max or average pooling: kind, size and stride (an integer or [h, w], 1…1024; size default 2, stride default the size), padding"

    let maximum: Bool
    let size: (Int, Int)
    let stride: (Int, Int)
    let padding: Padding

    var parameters: [Parameter] { [] }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable {
        maximum ? maxPool2d(x, size: size, stride: stride, padding: padding) : averagePool2d(x, size: size, stride: stride, padding: padding)
    }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        let output = graph.add(maximum ? "MaxPool" : "AveragePool", [x.name],
                               ["kernel_shape": .integers([size.0, size.1]), "strides": .integers([stride.0, stride.1]),
                                "auto_pad": .text(padding == .same ? "SAME_UPPER" : "VALID")])
        return .init(name: output, isFeatureMap: true)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        try requireFeatureMap(arguments, shape)
        let kind = try arguments.word("kind", default: "max", choices: ["max", "average"])
        let size = try arguments.pair("size", default: (2, 2), in: 1...1_024)
        let stride = try arguments.pair("stride", default: size, in: 1...1_024)
        let padding = Padding(rawValue: try arguments.word("padding", default: "same", choices: ["same", "valid"]))!
        let height = padding.output(input: shape[0], kernel: size.0, stride: stride.0).size
        let width = padding.output(input: shape[1], kernel: size.1, stride: stride.1).size
        guard height > 0, width > 0 else {
            throw arguments.error("a \(size.0)×\(size.1) pool with \(padding.rawValue) padding leaves no output from a \(ModelSummary.describe(shape)) map; use padding: same or a smaller size")
        }
        let output = [height, width, shape[2]]
        builder.record(builder.uniqueName("\(kind)_pooling2d"), kind: "Pooling2D", output: output)
        return BuiltLayers(PoolLayer(maximum: kind == "max", size: size, stride: stride, padding: padding), output: output)
    }
}
