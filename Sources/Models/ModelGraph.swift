import Diagnostics
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
    public let layers: [any GraphLayer]
    /// The embedding size (the last layer's output).
    public let embeddingSize: Int
    /// Layer-by-layer shapes and counts.
    public let summary: ModelSummary
    private var dropoutGenerator: SeededGenerator

    /// Loads and builds a model file.
    public convenience init(file path: String, input: [Int]? = nil, width: Double = 1, depths: [Int]? = nil, seed: UInt64 = 0,
                            batchNormMomentum: Double? = nil) throws {
        let document = try YAMLDocument.read(path: path, what: "model graph", fix: "check the path (model graphs live in Experiments/models/)")
        try self.init(document: document, input: input, width: width, depths: depths, seed: seed, batchNormMomentum: batchNormMomentum)
    }

    /// Builds a model from YAML text; `file` names it in errors.
    public convenience init(yaml text: String, file: String, input: [Int]? = nil, width: Double = 1, depths: [Int]? = nil, seed: UInt64 = 0,
                            batchNormMomentum: Double? = nil) throws {
        try self.init(document: YAMLDocument(file: file, text: text), input: input, width: width, depths: depths, seed: seed,
                      batchNormMomentum: batchNormMomentum)
    }

    /// Builds a model from a parsed file.
    /// `batchNormMomentum` overrides every batch norm's momentum (Keras's 0.99 needs hundreds of
    /// steps before its running statistics are usable; short runs want 0.9).
    public init(document: YAMLDocument, input override: [Int]? = nil, width: Double = 1, depths: [Int]? = nil, seed: UInt64 = 0,
                batchNormMomentum: Double? = nil) throws {
        let root = try document.compose()
        guard let mapping = root.mapping else { throw document.error("a model file is a mapping with name, input and layers", at: root) }
        for (key, _) in mapping where !["name", "input", "blocks", "layers", "source"].contains(key.string ?? "") {
            throw document.error("unknown key '\(key.string ?? "")'; a model file has name, source, input, blocks, layers", at: key)
        }
        guard let name = mapping["name"]?.string, !name.isEmpty else { throw document.error("missing 'name': a model file starts with name: its name", at: mapping["name"] ?? root) }
        let inputShape: [Int]
        if let override { inputShape = override } else {
            guard let list = mapping["input"]?.sequence?.compactMap(\.int), list.count == 3, mapping["input"]?.sequence?.count == 3 else {
                throw document.error("'input' must be [frames, bands, channels], three integers", at: mapping["input"] ?? root)
            }
            inputShape = list
        }
        guard inputShape.allSatisfy({ (1...100_000).contains($0) }) else {
            throw document.error("the input \(inputShape) must be positive sizes of at most 100000 each", at: mapping["input"] ?? root)
        }
        guard width > 0, width <= 16 else { throw Diagnostic(file: document.file, message: "the width knob (model.width, --width) must satisfy 0 < width ≤ 16; got \(width)") }
        var blocks: [String: GraphBuilder.Block] = [:]
        if let written = mapping["blocks"], written.null == nil {
            guard let definitions = written.mapping else { throw document.error("'blocks' must be a mapping of block names to {params, layers}", at: written) }
            for (key, value) in definitions {
                guard let blockName = key.string, let definition = value.mapping, let layers = definition["layers"] else {
                    throw document.error("a block is a mapping with layers: a list (and optional params)", at: value)
                }
                for (field, _) in definition where !["params", "layers"].contains(field.string ?? "") {
                    throw document.error("unknown key '\(field.string ?? "")' in block '\(blockName)'; a block has params and layers", at: field)
                }
                var parameters: [(String, Node?)] = []
                if let params = definition["params"] {
                    if let list = params.sequence, list.allSatisfy({ $0.string != nil }) { parameters = list.compactMap(\.string).map { ($0, nil) } }
                    else if let defaults = params.mapping { parameters = defaults.map { ($0.key.string ?? "", $0.value.null != nil ? nil : $0.value) } }
                    else { throw document.error("'params' must be a list of names or a mapping of names to defaults", at: params) }
                }
                blocks[blockName] = GraphBuilder.Block(parameters: parameters, layers: layers)
            }
        }
        guard let layerList = mapping["layers"] else { throw document.error("missing 'layers'", at: root) }
        var builder = GraphBuilder(document: document, blocks: blocks, width: width, depths: depths, generator: SeededGenerator(seed: seed).split("init"),
                                   momentumOverride: batchNormMomentum)
        let built = try builder.build(layerList, shape: inputShape, bindings: [:])
        // model.blocks replaces every repeat's count, in order: a list of another length would leave some as the graph has them.
        // (A graph with no repeat has nothing to replace: a spec that switches to one keeps its blocks unread.)
        if let depths, builder.repeatsSeen > 0, depths.count != builder.repeatsSeen {
            throw document.error("model.blocks lists \(depths.count) count(s) and this graph has \(builder.repeatsSeen) repeat(s); give one count per repeat, in the order they are met (e.g. [\(Array(repeating: "1", count: max(builder.repeatsSeen, 1)).joined(separator: ", "))])", at: layerList)
        }
        let (layers, output) = (built.layers, built.output)
        guard output.count == 1 else {
            throw document.error("the model must end in an embedding vector, but its output is \(ModelSummary.describe(output)); end with a pooling and a dense layer", at: layerList)
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
                throw Diagnostic(file: name, message: "the checkpoint has no tensor '\(parameter.name)' of shape \(parameter.value.shape); was it written by another model?")
            }
            parameter.value = value
        }
        for layer in batchNorms { try layer.loadBuffers(tensors) }
    }

    /// Loads every parameter and running statistic whose name and shape match one of `tensors`
    /// (another run's checkpoint, for `init_from`); the rest keep their fresh initialisation.
    /// Returns the names loaded and the names left fresh.
    @discardableResult
    public func loadMatching(_ tensors: [String: Tensor]) -> (loaded: [String], fresh: [String]) {
        var loaded: [String] = [], fresh: [String] = []
        for parameter in parameters {
            if let value = tensors[parameter.name], value.shape == parameter.value.shape { parameter.value = value; loaded.append(parameter.name) }
            else { fresh.append(parameter.name) }
        }
        for layer in batchNorms {
            let matching = layer.buffers.filter { tensors[$0.name]?.shape == $0.tensor.shape }
            try? layer.loadBuffers(Dictionary(uniqueKeysWithValues: matching.map { ($0.name, tensors[$0.name]!) }))
        }
        return (loaded, fresh)
    }

    /// Trainable parameters in a stable order (the checkpoint and optimizer order).
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// Batch-norm layers, for running statistics in checkpoints.
    public var batchNorms: [BatchNorm] { layers.flatMap(\.batchNorms) }

    /// The embedding of one utterance [frames, bands] (any number of frames the graph takes) in
    /// inference mode, as a batch of one. Safe to call from several threads at once: it records on
    /// its own tape and reads the weights and running statistics only. One utterance to a call is
    /// what makes an embedding independent of what else is embedded: OpenBLAS rounds a row of a
    /// product differently with the row's place in a larger one.
    public func infer(_ features: [Float], frames: Int, bands: Int) -> [Float] {
        let tape = Tape()
        var pass = ForwardPass(tape: tape, mode: .inference, dropout: dropoutGenerator)
        var y = tape.constant(Tensor(shape: [1, frames, bands, 1], scalars: features))
        for layer in layers { y = layer.forward(y, &pass) }
        let output = y.value.scalars
        tape.reset()
        return output
    }

    /// The network as ONNX operators: input `features` [N, T, F], output `embedding` [N, D].
    public func exportGraph() throws -> (graph: ExportGraph, output: String) {
        guard input.count == 3, input[2] == 1 else { throw ExportError("only networks on [frames, bands, 1] features can be exported; this one takes \(input)") }
        var graph = ExportGraph()
        var value = ExportGraph.Value(name: graph.add("Unsqueeze", ["features", graph.integers([1])]), isFeatureMap: true)
        for layer in layers { value = try layer.export(value, &graph) }
        guard !value.isFeatureMap else { throw ExportError("the network ends in a feature map; end with a pooling and a dense layer") }
        return (graph, value.name)
    }

    /// Embeds a batch [N, frames, bands, channels] → [N, embedding].
    public func embed(_ x: Variable, tape: Tape, mode: Mode) -> Variable {
        var pass = ForwardPass(tape: tape, mode: mode, dropout: dropoutGenerator)
        var y = x
        for layer in layers { y = layer.forward(y, &pass) }
        dropoutGenerator = pass.dropout
        return y
    }
}
