import Foundation
import NN
import Randomness
import Tensor
import Yams

/// A network built from a model-graph YAML file (`Experiments/models/*.yaml`): model graphs are data.
///
/// A file has `name`, `input: [frames, bands, channels]`, optional `blocks:` (named, with
/// `params:` and `layers:`), and `layers:`. Knobs: `width` scales every conv's filters and dense
/// layer's units; `depths` replaces the `times` of each `repeat`, in the order they are met.
public final class ModelGraph {
    /// The model's name.
    public let name: String
    /// The input shape without the batch axis.
    public let input: [Int]
    /// The layers in order.
    public let layers: [GraphLayer]
    /// The embedding size (the last layer's output).
    public let embeddingSize: Int
    /// Layer-by-layer shapes and counts.
    public let summary: ModelSummary
    private var dropoutGenerator: SeededGenerator

    /// Loads and builds a model file.
    public convenience init(file path: String, input: [Int]? = nil, width: Double = 1, depths: [Int]? = nil, seed: UInt64 = 0,
                            batchNormMomentum: Double? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ModelError(file: path, line: nil, column: nil, message: "cannot read the model file; check the path (models live in Experiments/models/)", sourceLine: nil)
        }
        try self.init(yaml: text, file: path, input: input, width: width, depths: depths, seed: seed, batchNormMomentum: batchNormMomentum)
    }

    /// Builds a model from YAML text; `file` names it in errors.
    /// `batchNormMomentum` overrides every batch norm's momentum (Keras's 0.99 needs hundreds of
    /// steps before its running statistics are usable; short runs want 0.9).
    public init(yaml text: String, file: String, input override: [Int]? = nil, width: Double = 1, depths: [Int]? = nil, seed: UInt64 = 0,
                batchNormMomentum: Double? = nil) throws {
        let source = SourceFile(path: file, lines: text.components(separatedBy: "\n"))
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else { throw source.error("the model file is empty", at: nil) }
            root = composed
        } catch let error as YamlError {
            throw ModelError(file: file, line: nil, column: nil, message: "not valid YAML: \(error)", sourceLine: nil)
        }
        guard let mapping = root.mapping else { throw source.error("a model file is a mapping with name, input and layers", at: root) }
        for (key, _) in mapping where !["name", "input", "blocks", "layers", "source"].contains(key.string ?? "") {
            throw source.error("unknown key '\(key.string ?? "")'; a model file has name, source, input, blocks, layers", at: key)
        }
        guard let name = mapping["name"]?.string else { throw source.error("missing 'name'", at: root) }
        let inputShape: [Int]
        if let override { inputShape = override } else {
            guard let list = mapping["input"]?.sequence?.compactMap(\.int), list.count == 3 else {
                throw source.error("'input' must be [frames, bands, channels]", at: mapping["input"] ?? root)
            }
            inputShape = list
        }
        var blocks: [String: GraphBuilder.Block] = [:]
        for (key, value) in mapping["blocks"]?.mapping ?? [:] {
            guard let blockName = key.string, let layers = value.mapping?["layers"] else {
                throw source.error("a block needs layers: a list", at: value)
            }
            var parameters: [(String, Node?)] = []
            if let params = value.mapping?["params"] {
                if let list = params.sequence { parameters = list.compactMap(\.string).map { ($0, nil) } }
                else if let defaults = params.mapping { parameters = defaults.map { ($0.key.string ?? "", $0.value.null != nil ? nil : $0.value) } }
            }
            blocks[blockName] = GraphBuilder.Block(parameters: parameters, layers: layers, node: value)
        }
        guard let layerList = mapping["layers"] else { throw source.error("missing 'layers'", at: root) }
        var builder = GraphBuilder(source: source, blocks: blocks, width: width, depths: depths, generator: SeededGenerator(seed: seed).split("init"),
                                   momentumOverride: batchNormMomentum)
        let (layers, output) = try builder.build(layerList, shape: inputShape, bindings: [:])
        guard output.count == 1 else {
            throw source.error("the model must end in an embedding vector, but its output is \(ModelSummary.describe(output)); end with a pooling and a dense layer", at: layerList)
        }
        self.name = name
        self.input = inputShape
        self.layers = layers
        self.embeddingSize = output[0]
        self.summary = ModelSummary(name: name, input: inputShape, rows: builder.summary)
        dropoutGenerator = SeededGenerator(seed: seed).split("dropout")
    }

    /// The dropout generator's state, saved with a resumable run so it continues the same stream.
    public var dropoutState: SeededGenerator {
        get { dropoutGenerator }
        set { dropoutGenerator = newValue }
    }

    /// Parameters and batch-norm running statistics by name, for checkpoints.
    public var namedTensors: [(name: String, tensor: Tensor)] {
        parameters.map { ($0.name, $0.value) } + batchNorms.flatMap(\.buffers)
    }

    /// Restores parameters and running statistics saved by `namedTensors`.
    public func load(_ tensors: [String: Tensor]) throws {
        for parameter in parameters {
            guard let value = tensors[parameter.name], value.shape == parameter.value.shape else {
                throw ModelError(file: name, line: nil, column: nil, message: "the checkpoint has no tensor '\(parameter.name)' of shape \(parameter.value.shape); was it written by another model?", sourceLine: nil)
            }
            parameter.value = value
        }
        for layer in batchNorms { try layer.loadBuffers(tensors) }
    }

    /// Trainable parameters in a stable order (the checkpoint and optimizer order).
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// Batch-norm layers, for running statistics in checkpoints.
    public var batchNorms: [BatchNorm] { layers.flatMap(\.batchNorms) }

    /// Embeds a batch [N, frames, bands, channels] → [N, embedding].
    public func embed(_ x: Variable, tape: Tape, mode: Mode) -> Variable {
        var y = x
        for layer in layers { y = layer.forward(y, tape: tape, mode: mode, dropout: &dropoutGenerator) }
        return y
    }
}
