import NN
import Tensor

/// `dense: {units, bias, l2}`: a fully connected layer on a vector (Keras `Dense`).
struct DenseLayer: LayerKind, GraphLayer {
    static let word = "dense"
    static let arguments = ["units", "bias", "l2"]
    static let summary = "a fully connected layer on a vector: units (1…65536, scaled by model.width), bias, l2"

    let fullyConnected: Dense

    var parameters: [Parameter] { fullyConnected.parameters }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable { fullyConnected(x, tape: pass.tape) }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        try fullyConnected.export(x, &graph)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        guard shape.count == 1 else {
            throw arguments.error("dense needs a vector input; the input here is \(ModelSummary.describe(shape)) (add a pooling layer first)")
        }
        let units = builder.scaled(try arguments.integer("units", in: 1...65_536))
        let useBias = try arguments.boolean("bias", default: true)
        let l2 = try arguments.number("l2", default: 0, in: .closed(0, 1))
        try builder.reserve(parameters: shape[0] * units + (useBias ? units : 0), for: arguments)
        let name = builder.uniqueName("dense")
        let layer = Dense(name: name, inputs: shape[0], outputs: units, useBias: useBias, l2: Float(l2), using: &builder.generator)
        builder.record(name, kind: "Dense", output: [units], parameters: layer.parameters)
        return BuiltLayers(DenseLayer(fullyConnected: layer), output: [units])
    }
}
