import NN
import Tensor

/// An activation function named in a model graph.
public enum ActivationKind: String, Sendable, CaseIterable {
    case relu, elu, sigmoid, tanh, linear
    case clippedReLU = "clipped_relu"
    case leakyReLU = "leaky_relu"
}

/// `activation: relu` (or any `ActivationKind`): an elementwise nonlinearity.
struct ActivationLayer: LayerKind, GraphLayer {
    static let word = "activation"
    static let arguments: [String] = []
    static let summary = "an elementwise nonlinearity: relu, clipped_relu (at 20), elu, leaky_relu (α 0.3), sigmoid, tanh or linear"
    static let takesScalar = true

    let function: ActivationKind

    var parameters: [Parameter] { [] }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable {
        switch function {
        case .relu: return relu(x)
        case .clippedReLU: return clippedReLU(x, ceiling: 20)
        case .elu: return elu(x)
        case .leakyReLU: return leakyReLU(x, slope: 0.3)  // Keras LeakyReLU default α
        case .sigmoid: return sigmoid(x)
        case .tanh: return tanh(x)
        case .linear: return x
        }
    }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        let output: String
        switch function {
        case .relu: output = graph.add("Relu", [x.name])
        case .clippedReLU: output = graph.add("Clip", [x.name, graph.constant("zero", shape: [], values: [0]), graph.constant("twenty", shape: [], values: [20])])
        case .elu: output = graph.add("Elu", [x.name], ["alpha": .number(1)])
        case .leakyReLU: output = graph.add("LeakyRelu", [x.name], ["alpha": .number(0.3)])
        case .sigmoid: output = graph.add("Sigmoid", [x.name])
        case .tanh: output = graph.add("Tanh", [x.name])
        case .linear: return x
        }
        return .init(name: output, isFeatureMap: x.isFeatureMap)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        let written = try arguments.resolve(arguments.value)
        guard let name = written.string, let function = ActivationKind(rawValue: name) else {
            throw arguments.error("unknown activation \(LayerArguments.show(written)); known: \(ActivationKind.allCases.map(\.rawValue).joined(separator: ", "))", at: arguments.value)
        }
        builder.record(builder.uniqueName(name), kind: "Activation", output: shape)
        return BuiltLayers(ActivationLayer(function: function), output: shape)
    }
}
