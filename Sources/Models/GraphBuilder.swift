import NN
import Randomness
import Tensor
import Yams

/// Builds a network from a model graph's YAML nodes: expands named blocks and repeats, binds
/// `$parameters`, applies the width and depth knobs, infers every shape, and creates the layers.
struct GraphBuilder {
    struct Block {
        let parameters: [(name: String, defaultValue: Node?)]
        let layers: Node
        let node: Node
    }

    let source: SourceFile
    let blocks: [String: Block]
    let width: Double
    let depths: [Int]?
    var repeatsSeen = 0
    var generator: SeededGenerator
    var momentumOverride: Double?
    var summary: [ModelSummary.Row] = []
    var names: [String: Int] = [:]
    var expanding: [String] = []

    // MARK: Scalars with bindings

    func resolve(_ node: Node, _ bindings: [String: Node]) throws -> Node {
        if let text = node.scalar?.string, text.hasPrefix("$") {
            let name = String(text.dropFirst())
            guard let bound = bindings[name] else {
                throw source.error("'\(text)' is not a parameter of the enclosing block; known: \(bindings.keys.sorted().joined(separator: ", "))", at: node)
            }
            return bound
        }
        return node
    }

    func integer(_ node: Node?, _ bindings: [String: Node], _ what: String, at parent: Node) throws -> Int {
        guard let node else { throw source.error("missing '\(what)'", at: parent) }
        let resolved = try resolve(node, bindings)
        guard let value = resolved.int else { throw source.error("'\(what)' must be an integer", at: node) }
        return value
    }

    func number(_ node: Node?, _ bindings: [String: Node], default value: Double, _ what: String) throws -> Double {
        guard let node else { return value }
        let resolved = try resolve(node, bindings)
        guard let number = resolved.float ?? resolved.int.map(Double.init) else { throw source.error("'\(what)' must be a number", at: node) }
        return number
    }

    func pair(_ node: Node?, _ bindings: [String: Node], default value: (Int, Int), _ what: String) throws -> (Int, Int) {
        guard let node else { return value }
        let resolved = try resolve(node, bindings)
        if let single = resolved.int { return (single, single) }
        if let list = resolved.sequence, list.count == 2, let a = try resolve(list[0], bindings).int, let b = try resolve(list[1], bindings).int { return (a, b) }
        throw source.error("'\(what)' must be an integer or a pair [height, width]", at: node)
    }

    func string(_ node: Node?, _ bindings: [String: Node], default value: String) throws -> String {
        guard let node else { return value }
        guard let text = try resolve(node, bindings).string else { throw source.error("expected a word", at: node) }
        return text
    }

    func scaled(_ count: Int) -> Int { max(1, Int((Double(count) * width).rounded())) }

    mutating func uniqueName(_ base: String) -> String {
        let index = names[base, default: 0]
        names[base] = index + 1
        return index == 0 ? base : "\(base)_\(index)"
    }

    /// Checks that a layer's arguments are among the allowed ones.
    func checkKeys(_ arguments: Node, allowed: Set<String>, kind: String) throws {
        guard let mapping = arguments.mapping else { return }
        for (key, _) in mapping {
            let name = key.string ?? ""
            if !allowed.contains(name) {
                throw source.error("unknown argument '\(name)' for \(kind); allowed: \(allowed.sorted().joined(separator: ", "))", at: key)
            }
        }
    }

    // MARK: Layers

    /// Builds a list of layer nodes from an input shape; returns the layers and the output shape.
    mutating func build(_ list: Node, shape: [Int], bindings: [String: Node]) throws -> ([GraphLayer], [Int]) {
        guard let items = list.sequence else { throw source.error("expected a list of layers", at: list) }
        var layers: [GraphLayer] = []
        var current = shape
        for item in items {
            let (built, output) = try buildOne(item, shape: current, bindings: bindings)
            layers += built
            current = output
        }
        return (layers, current)
    }

    mutating func buildOne(_ item: Node, shape: [Int], bindings: [String: Node]) throws -> ([GraphLayer], [Int]) {
        let kind: String
        let arguments: Node
        if let word = item.string {
            kind = word
            arguments = Node.mapping(.init([]))
        } else if let mapping = item.mapping, mapping.count == 1, let key = mapping.keys.first?.string {
            kind = key
            arguments = mapping.values.first!
        } else {
            throw source.error("a layer is a word (`l2_normalize`) or a one-key mapping (`conv: {filters: 64}`)", at: item)
        }
        func arg(_ name: String) -> Node? { arguments.mapping?[name] }
        func requireRank(_ rank: Int, _ what: String) throws {
            guard shape.count == rank else {
                throw source.error("\(kind) needs a \(what) input; the input here is \(ModelSummary.describe(shape))", at: item)
            }
        }

        switch kind {
        case "conv":
            try checkKeys(arguments, allowed: ["filters", "kernel", "stride", "padding", "dilation", "bias", "l2"], kind: kind)
            try requireRank(3, "time × frequency × channels")
            let filters = scaled(try integer(arg("filters"), bindings, "filters", at: item))
            let kernel = try pair(arg("kernel"), bindings, default: (3, 3), "kernel")
            let stride = try pair(arg("stride"), bindings, default: (1, 1), "stride")
            let dilation = try pair(arg("dilation"), bindings, default: (1, 1), "dilation")
            guard let padding = Padding(rawValue: try string(arg("padding"), bindings, default: "same")) else {
                throw source.error("padding must be same or valid", at: arg("padding"))
            }
            let l2 = try number(arg("l2"), bindings, default: 0, "l2")
            let useBias = try resolve(arg("bias") ?? Node("true"), bindings).bool ?? true
            let (height, top) = padding.output(input: shape[0], kernel: kernel.0, stride: stride.0, dilation: dilation.0)
            let (width, _) = padding.output(input: shape[1], kernel: kernel.1, stride: stride.1, dilation: dilation.1)
            _ = top
            guard height > 0, width > 0 else {
                throw source.error("a \(kernel.0)×\(kernel.1) kernel with stride \(stride.0)×\(stride.1) and \(padding.rawValue) padding leaves no output from a \(ModelSummary.describe(shape)) map; use padding: same or a smaller stride", at: item)
            }
            let name = uniqueName("conv")
            let layer = Conv2D(name: name, inputChannels: shape[2], outputChannels: filters, kernelSize: kernel, stride: stride,
                               dilation: dilation, padding: padding, useBias: useBias, weightDecay: l2 > 0, using: &generator)
            let output = [height, width, filters]
            summary.append(.init(name: name, kind: "Conv2D", output: output, parameters: layer.parameters.map(\.value.count).reduce(0, +), nonTrainable: 0))
            return ([.conv(layer)], output)

        case "batchnorm":
            try checkKeys(arguments, allowed: ["momentum", "epsilon"], kind: kind)
            let channels = shape.last!
            let name = uniqueName("batch_normalization")
            let layer = BatchNorm(name: name, channels: channels, momentum: Float(try momentumOverride ?? number(arg("momentum"), bindings, default: 0.99, "momentum")),
                                  epsilon: Float(try number(arg("epsilon"), bindings, default: 1e-3, "epsilon")))
            summary.append(.init(name: name, kind: "BatchNormalization", output: shape, parameters: 4 * channels, nonTrainable: 2 * channels))
            return ([.batchNorm(layer)], shape)

        case "activation":
            let word = try resolve(arguments, bindings).string ?? ""
            guard let activation = ActivationKind(rawValue: word) else {
                throw source.error("unknown activation '\(word)'; known: \(ActivationKind.allCases.map(\.rawValue).joined(separator: ", "))", at: arguments)
            }
            summary.append(.init(name: uniqueName(word), kind: "Activation", output: shape, parameters: 0, nonTrainable: 0))
            return ([.activation(activation)], shape)

        case "pool":
            try checkKeys(arguments, allowed: ["kind", "size", "stride", "padding"], kind: kind)
            try requireRank(3, "time × frequency × channels")
            let poolKind = try string(arg("kind"), bindings, default: "max")
            let size = try pair(arg("size"), bindings, default: (2, 2), "size")
            let stride = try pair(arg("stride"), bindings, default: size, "stride")
            guard let padding = Padding(rawValue: try string(arg("padding"), bindings, default: "same")) else {
                throw source.error("padding must be same or valid", at: arg("padding"))
            }
            let height = padding.output(input: shape[0], kernel: size.0, stride: stride.0).size
            let width = padding.output(input: shape[1], kernel: size.1, stride: stride.1).size
            guard height > 0, width > 0 else { throw source.error("this pooling leaves no output from a \(ModelSummary.describe(shape)) map", at: item) }
            let output = [height, width, shape[2]]
            summary.append(.init(name: uniqueName("\(poolKind)_pooling2d"), kind: "Pooling2D", output: output, parameters: 0, nonTrainable: 0))
            switch poolKind {
            case "max": return ([.maxPool(size: size, stride: stride, padding: padding)], output)
            case "average": return ([.averagePool(size: size, stride: stride, padding: padding)], output)
            default: throw source.error("pool kind must be max or average", at: arg("kind"))
            }

        case "global_average_pool", "global_max_pool":
            try requireRank(3, "time × frequency × channels")
            summary.append(.init(name: uniqueName(kind), kind: "GlobalPooling2D", output: [shape[2]], parameters: 0, nonTrainable: 0))
            return ([kind == "global_average_pool" ? .globalAveragePool : .globalMaxPool], [shape[2]])

        case "mean":
            try checkKeys(arguments, allowed: ["axes"], kind: kind)
            guard let axesNode = arg("axes"), let list = axesNode.sequence, case let axes = list.compactMap(\.int), axes.count == list.count,
                  axes.allSatisfy({ $0 >= 1 && $0 <= shape.count }) else {
                throw source.error("mean needs axes: a list of axis numbers 1…\(shape.count) (axis 0 is the batch)", at: item)
            }
            let output = shape.enumerated().filter { !axes.contains($0.offset + 1) }.map(\.element)
            summary.append(.init(name: uniqueName("mean"), kind: "Mean", output: output, parameters: 0, nonTrainable: 0))
            return ([.mean(axes: Set(axes))], output)

        case "stats_pool":
            guard shape.count >= 2 else { throw source.error("stats_pool needs a time axis; the input here is \(ModelSummary.describe(shape))", at: item) }
            let output = [2 * shape.dropFirst().reduce(1, *)]
            summary.append(.init(name: uniqueName("statistics_pooling"), kind: "StatisticsPooling", output: output, parameters: 0, nonTrainable: 0))
            return ([.statisticsPool], output)

        case "time_by_features":
            try requireRank(3, "time × frequency × channels")
            let output = [shape[0], shape[1] * shape[2]]
            summary.append(.init(name: uniqueName("reshape"), kind: "Reshape", output: output, parameters: 0, nonTrainable: 0))
            return ([.timeByFeatures], output)

        case "dense":
            try checkKeys(arguments, allowed: ["units", "bias", "l2"], kind: kind)
            guard shape.count == 1 else { throw source.error("dense needs a vector input; the input here is \(ModelSummary.describe(shape)) (add a pooling layer first)", at: item) }
            let units = scaled(try integer(arg("units"), bindings, "units", at: item))
            let useBias = try resolve(arg("bias") ?? Node("true"), bindings).bool ?? true
            let name = uniqueName("dense")
            let layer = Dense(name: name, inputs: shape[0], outputs: units, useBias: useBias,
                              weightDecay: try number(arg("l2"), bindings, default: 0, "l2") > 0, using: &generator)
            summary.append(.init(name: name, kind: "Dense", output: [units], parameters: layer.parameters.map(\.value.count).reduce(0, +), nonTrainable: 0))
            return ([.dense(layer)], [units])

        case "dropout":
            try checkKeys(arguments, allowed: ["rate"], kind: kind)
            let rate = try number(arg("rate"), bindings, default: 0.5, "rate")
            summary.append(.init(name: uniqueName("dropout"), kind: "Dropout", output: shape, parameters: 0, nonTrainable: 0))
            return ([.dropout(rate: Float(rate))], shape)

        case "l2_normalize":
            summary.append(.init(name: uniqueName("l2_normalize"), kind: "Lambda", output: shape, parameters: 0, nonTrainable: 0))
            return ([.l2Normalize], shape)

        case "residual":
            try checkKeys(arguments, allowed: ["body", "shortcut"], kind: kind)
            guard let bodyNode = arg("body") else { throw source.error("residual needs a body: a list of layers", at: item) }
            let (body, bodyShape) = try build(bodyNode, shape: shape, bindings: bindings)
            var shortcut: [GraphLayer]? = nil
            var shortcutShape = shape
            if let shortcutNode = arg("shortcut"), shortcutNode.string != "identity" {
                let (layers, output) = try build(shortcutNode, shape: shape, bindings: bindings)
                shortcut = layers
                shortcutShape = output
            }
            guard bodyShape == shortcutShape else {
                throw source.error("the residual body gives \(ModelSummary.describe(bodyShape)) but the shortcut gives \(ModelSummary.describe(shortcutShape)); add a projection shortcut (conv 1×1 with the body's stride and filters)", at: item)
            }
            summary.append(.init(name: uniqueName("add"), kind: "Add", output: bodyShape, parameters: 0, nonTrainable: 0))
            return ([.residual(body: body, shortcut: shortcut)], bodyShape)

        case "squeeze_excite", "channel_attention":
            try checkKeys(arguments, allowed: ["ratio", "bias"], kind: kind)
            try requireRank(3, "time × frequency × channels")
            let channels = shape[2]
            let ratio = try integer(arg("ratio") ?? Node("8"), bindings, "ratio", at: item)
            let useBias = try resolve(arg("bias") ?? Node("true"), bindings).bool ?? true
            let name = uniqueName(kind)
            let first = Dense(name: name + ".dense1", inputs: channels, outputs: max(1, channels / ratio), useBias: useBias, using: &generator)
            let second = Dense(name: name + ".dense2", inputs: max(1, channels / ratio), outputs: channels, useBias: useBias, using: &generator)
            summary.append(.init(name: name, kind: kind == "squeeze_excite" ? "SqueezeExcite" : "ChannelAttention", output: shape,
                                 parameters: (first.parameters + second.parameters).map(\.value.count).reduce(0, +), nonTrainable: 0))
            return ([kind == "squeeze_excite" ? .squeezeExcite(squeeze: first, excite: second) : .channelAttention(hidden: first, output: second)], shape)

        case "block":
            try checkKeys(arguments, allowed: ["name", "with"], kind: kind)
            let name = try string(arg("name"), bindings, default: "")
            return try expand(block: name, with: arg("with"), overrides: nil, shape: shape, bindings: bindings, at: item)

        case "repeat":
            try checkKeys(arguments, allowed: ["times", "block", "with", "first"], kind: kind)
            var times = try integer(arg("times"), bindings, "times", at: item)
            if let depths, repeatsSeen < depths.count { times = depths[repeatsSeen] }
            repeatsSeen += 1
            let name = try string(arg("block"), bindings, default: "")
            var layers: [GraphLayer] = []
            var current = shape
            for index in 0..<times {
                let (built, output) = try expand(block: name, with: arg("with"), overrides: index == 0 ? arg("first") : nil, shape: current, bindings: bindings, at: item)
                layers += built
                current = output
            }
            return (layers, current)

        default:
            throw source.error("unknown layer kind '\(kind)'; known: activation, batchnorm, block, channel_attention, conv, dense, dropout, global_average_pool, global_max_pool, l2_normalize, mean, pool, repeat, residual, squeeze_excite, stats_pool, time_by_features", at: item)
        }
    }

    /// Expands a named block with its parameters bound.
    mutating func expand(block name: String, with arguments: Node?, overrides: Node?, shape: [Int], bindings: [String: Node], at node: Node) throws -> ([GraphLayer], [Int]) {
        guard let block = blocks[name] else {
            throw source.error("unknown block '\(name)'; defined blocks: \(blocks.keys.sorted().joined(separator: ", "))", at: node)
        }
        guard !expanding.contains(name) else {
            throw source.error("block '\(name)' uses itself (\((expanding + [name]).joined(separator: " → "))); blocks cannot be recursive", at: node)
        }
        var bound: [String: Node] = [:]
        for (parameter, defaultValue) in block.parameters {
            let given = arguments?.mapping?[parameter] ?? overrides?.mapping?[parameter]
            let value = overrides?.mapping?[parameter] ?? given ?? defaultValue
            guard let value else { throw source.error("block '\(name)' needs '\(parameter)'; pass it with `with: {\(parameter): …}`", at: node) }
            bound[parameter] = try resolve(value, bindings)
        }
        for case let (key, _) in arguments?.mapping ?? [:] where !block.parameters.contains(where: { $0.name == key.string }) {
            throw source.error("block '\(name)' has no parameter '\(key.string ?? "")'; its parameters: \(block.parameters.map(\.name).joined(separator: ", "))", at: key)
        }
        expanding.append(name)
        defer { expanding.removeLast() }
        return try build(block.layers, shape: shape, bindings: bound)
    }
}
