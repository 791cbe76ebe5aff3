import NN
import Randomness
import Tensor

/// What a forward pass carries from layer to layer: the tape, the mode and the dropout stream.
public struct ForwardPass {
    /// The tape the ops record on.
    public let tape: Tape
    /// Training (batch statistics, dropout) or inference.
    public let mode: Mode
    /// The seeded stream dropout masks are drawn from, in layer order.
    public var dropout: SeededGenerator
}

/// One built layer of a model graph.
///
/// `parameters` and `batchNorms` have no default: a layer kind that holds weights has to say
/// which, so a new kind cannot leave its weights out of training and checkpoints by omission
/// (`ModelsTests.everyWeightALayerHoldsIsListed` checks what each kind says against what it holds).
public protocol GraphLayer {
    /// Trainable parameters in a stable order (the checkpoint and optimizer order).
    var parameters: [Parameter] { get }
    /// Batch-norm layers inside, in order, for running statistics in checkpoints.
    var batchNorms: [BatchNorm] { get }
    /// Applies the layer to a batch whose shape (after the batch axis) is the layer's input.
    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable
    /// Adds the ONNX nodes that compute `forward` in inference mode to `graph`.
    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value
}

extension Dense {
    /// The layer as an ONNX `Gemm` on a vector [N, in].
    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        guard !x.isFeatureMap else { throw ExportError("a dense layer on a feature map cannot be exported; pool first") }
        let shape = weight.value.shape
        var inputs = [x.name, graph.constant(weight.name, shape: shape, values: weight.value.scalars)]
        if let bias { inputs.append(graph.constant(bias.name, shape: [shape[1]], values: bias.value.scalars)) }
        return .init(name: graph.add("Gemm", inputs), isFeatureMap: false)
    }
}
