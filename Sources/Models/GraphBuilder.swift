import Diagnostics
import NN
import Randomness
import Tensor
import Yams

/// Builds a network from a model graph's YAML nodes: looks each layer's word up in
/// `LayerRegistry`, expands named blocks and repeats, binds `$parameters`, applies the width and
/// depth knobs, infers every shape, and keeps the sizes the user's numbers ask for within bounds
/// before anything is allocated.
struct GraphBuilder {
    /// A named block: its parameters (with defaults) and layers.
    struct Block {
        let parameters: [(name: String, defaultValue: Node?)]
        let layers: Node
    }

    /// The most trainable parameters a graph may have (1 GiB of weights; training holds about four
    /// copies: weights, gradients and two optimizer moments).
    static let maximumParameters = 1 << 28
    /// The most scalars one layer's output may hold per example (256 MiB), so a batch fits.
    static let maximumActivation = 1 << 26
    /// The most layers a graph may expand to (repeats included).
    static let maximumLayers = 100_000

    let document: YAMLDocument
    let blocks: [String: Block]
    let width: Double
    let depths: [Int]?
    var repeatsSeen = 0
    var generator: SeededGenerator
    var momentumOverride: Double?
    var summary: [ModelSummary.Row] = []
    var names: [String: Int] = [:]
    var expanding: [String] = []
    var parameterCount = 0
    var layerCount = 0

    /// A filter or unit count after the width knob.
    func scaled(_ count: Int) -> Int { max(1, Int((Double(count) * width).rounded())) }

    /// The first free name for a layer: `conv`, then `conv_1`, … (Keras's naming, the checkpoint keys).
    mutating func uniqueName(_ base: String) -> String {
        let index = names[base, default: 0]
        names[base] = index + 1
        return index == 0 ? base : "\(base)_\(index)"
    }

    /// Counts a layer's weights against `maximumParameters` before they are allocated.
    mutating func reserve(parameters count: Int, for arguments: LayerArguments) throws {
        parameterCount += count
        guard parameterCount <= Self.maximumParameters else {
            throw arguments.error("this \(arguments.kind) brings the model to \(parameterCount) parameters, over the limit of \(Self.maximumParameters); use fewer filters or units, or a smaller model.width")
        }
    }

    /// Adds a summary row; like Keras, its count includes the non-trainable values (running statistics).
    mutating func record(_ name: String, kind: String, output: [Int], parameters: [Parameter] = [], nonTrainable: Int = 0) {
        summary.append(.init(name: name, kind: kind, output: output, parameters: parameters.map(\.value.count).reduce(0, +) + nonTrainable,
                             nonTrainable: nonTrainable))
    }

    /// Builds a list of layer nodes from an input shape.
    mutating func build(_ list: Node, shape: [Int], bindings: [String: Node]) throws -> BuiltLayers {
        guard let items = list.sequence else { throw document.error("expected a list of layers", at: list) }
        var layers: [any GraphLayer] = []
        var current = shape
        for item in items {
            let built = try buildOne(item, shape: current, bindings: bindings)
            layers += built.layers
            current = built.output
        }
        return BuiltLayers(layers, output: current)
    }

    /// Builds one layer item: a word (`l2_normalize`) or a one-key mapping (`conv: {filters: 64}`).
    mutating func buildOne(_ item: Node, shape: [Int], bindings: [String: Node]) throws -> BuiltLayers {
        let word: String
        let value: Node
        if let text = item.string {
            word = text
            value = Node.mapping(.init([]))
        } else if let mapping = item.mapping, mapping.count == 1, let key = mapping.keys.first?.string {
            word = key
            value = mapping.values.first!
        } else {
            throw document.error("a layer is a word (`l2_normalize`) or a one-key mapping (`conv: {filters: 64}`)", at: item)
        }
        guard let kind = LayerRegistry.byWord[word] else {
            throw document.error("unknown layer kind '\(word)'; known: \(LayerRegistry.words.joined(separator: ", "))", at: item)
        }
        let arguments = LayerArguments(kind: word, item: item, value: value, bindings: bindings, document: document)
        if kind.takesScalar {
            guard value.scalar != nil else { throw arguments.error("\(word) takes one word, e.g. `\(word): relu`", at: value) }
        } else if kind.arguments.isEmpty {
            guard value.mapping?.isEmpty == true || value.null != nil else {
                throw arguments.error("\(word) takes no arguments; write it as a bare word: `- \(word)`", at: value)
            }
        } else {
            guard let mapping = value.mapping else {
                throw arguments.error("\(word) takes a mapping of arguments (\(kind.arguments.joined(separator: ", "))), e.g. `\(word): {\(kind.arguments[0]): …}`", at: value)
            }
            for (key, _) in mapping where !kind.arguments.contains(key.string ?? "") {
                throw arguments.error("unknown argument '\(key.string ?? "")' for \(word); allowed: \(kind.arguments.sorted().joined(separator: ", "))", at: key)
            }
        }
        layerCount += 1
        guard layerCount <= Self.maximumLayers else {
            throw arguments.error("the graph expands to more than \(Self.maximumLayers) layers; check the repeat counts")
        }
        let built = try kind.build(arguments, input: shape, builder: &self)
        let size = built.output.reduce(1) { $0.multipliedReportingOverflow(by: max($1, 1)).overflow ? Int.max : $0 * max($1, 1) }
        guard size <= Self.maximumActivation else {
            throw arguments.error("this \(word) outputs \(ModelSummary.describe(built.output)), \(size) values per example, over the limit of \(Self.maximumActivation); use fewer filters or a stride")
        }
        return built
    }

    /// Expands a named block with its parameters bound.
    mutating func expand(block name: String, with arguments: Node?, overrides: Node?, shape: [Int], bindings: [String: Node], at node: Node) throws -> BuiltLayers {
        guard let block = blocks[name] else {
            throw document.error("unknown block '\(name)'; defined blocks: \(blocks.keys.sorted().joined(separator: ", "))", at: node)
        }
        guard !expanding.contains(name) else {
            throw document.error("block '\(name)' uses itself (\((expanding + [name]).joined(separator: " → "))); blocks cannot be recursive", at: node)
        }
        let outer = LayerArguments(kind: "block", item: node, value: arguments ?? Node.mapping(.init([])), bindings: bindings, document: document)
        var bound: [String: Node] = [:]
        for (parameter, defaultValue) in block.parameters {
            let value = overrides?.mapping?[parameter] ?? arguments?.mapping?[parameter] ?? defaultValue
            guard let value else { throw document.error("block '\(name)' needs '\(parameter)'; pass it with `with: {\(parameter): …}`", at: node) }
            bound[parameter] = try outer.resolve(value)
        }
        for case let (key, _) in (arguments?.mapping ?? [:]) where !block.parameters.contains(where: { $0.name == key.string }) {
            throw document.error("block '\(name)' has no parameter '\(key.string ?? "")'; its parameters: \(block.parameters.map(\.name).joined(separator: ", "))", at: key)
        }
        expanding.append(name)
        defer { expanding.removeLast() }
        return try build(block.layers, shape: shape, bindings: bound)
    }
}
