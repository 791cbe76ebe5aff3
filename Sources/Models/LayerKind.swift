/// A word of the model-graph language (`conv`, `residual`, `repeat`…): the arguments it takes,
/// its shape rule, and the layers it builds. Each kind is one file under `Layers/`, listed once in
/// `LayerRegistry.kinds`.
protocol LayerKind {
    /// The word in YAML.
    static var word: String { get }
    /// The argument names of its mapping (`conv: {filters: 64}`); empty for a kind written as a
    /// bare word or with one scalar (`activation: relu`).
    static var arguments: [String] { get }
    /// What it does and its arguments' ranges, one line for the README's vocabulary table.
    static var summary: String { get }
    /// Whether its argument is one scalar (`activation: relu`) rather than a mapping or nothing.
    static var takesScalar: Bool { get }
    /// Builds the layer for an input shape (without the batch axis).
    static func build(_ arguments: LayerArguments, input: [Int], builder: inout GraphBuilder) throws -> BuiltLayers
}

extension LayerKind {
    static var takesScalar: Bool { false }
}

/// What a layer kind builds: zero or more layers and the output shape.
struct BuiltLayers {
    /// The layers in order (a block or repeat expands to many).
    let layers: [any GraphLayer]
    /// The output shape without the batch axis.
    let output: [Int]

    /// One layer and its output.
    init(_ layer: any GraphLayer, output: [Int]) {
        self.layers = [layer]
        self.output = output
    }

    /// Several layers and the last one's output.
    init(_ layers: [any GraphLayer], output: [Int]) {
        self.layers = layers
        self.output = output
    }
}
