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

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        builder.record(builder.uniqueName("l2_normalize"), kind: "Lambda", output: shape)
        return BuiltLayers(L2NormalizeLayer(), output: shape)
    }
}
