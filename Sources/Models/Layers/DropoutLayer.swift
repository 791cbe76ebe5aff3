import NN
import Tensor

/// `dropout: {rate}`: zeroes a share `rate` of the values while training (0 ≤ rate < 1).
struct DropoutLayer: LayerKind, GraphLayer {
    static let word = "dropout"
    static let arguments = ["rate"]
    static let summary = "zeroes a share of the values while training: rate (0 ≤ rate < 1, default 0.5)"

    let rate: Float

    var parameters: [Parameter] { [] }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable {
        dropout(x, rate: rate, training: pass.mode == .training, using: &pass.dropout)
    }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value { x }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        let rate = try arguments.number("rate", default: 0.5, in: .halfOpen(0, 1))
        builder.record(builder.uniqueName("dropout"), kind: "Dropout", output: shape)
        return BuiltLayers(DropoutLayer(rate: Float(rate)), output: shape)
    }
}
