import NN
import Tensor

/// `squeeze_excite: {ratio, bias}`: scales each channel by a gate computed from its global
/// average (Hu et al., SE-ResNet).
struct SqueezeExciteLayer: LayerKind, GraphLayer {
    static let word = "squeeze_excite"
    static let arguments = ["ratio", "bias"]
    static let summary = "squeeze-excite: each channel scaled by a gate (channels → channels/ratio → channels, ratio default 8) of its global average"

    let gate: ChannelGate

    var parameters: [Parameter] { gate.parameters }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable {
        let scales = sigmoid(gate(globalAveragePool(x), tape: pass.tape))
        return multiply(x, reshape(scales, [x.shape[0], 1, 1, x.shape[3]]))
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        let gate = try ChannelGate.build(arguments, input: shape, builder: &builder, summaryKind: "SqueezeExcite")
        return BuiltLayers(SqueezeExciteLayer(gate: gate), output: shape)
    }
}
