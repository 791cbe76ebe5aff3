/// `repeat: {times, block, with, first}`: a named block `times` times in sequence, `first`
/// overriding parameters of the first copy (a strided entry); `model.blocks` replaces `times`.
enum RepeatKind: LayerKind {
    static let word = "repeat"
    static let arguments = ["times", "block", "with", "first"]
    static let summary = "a named block `times` times (1…1000; model.blocks replaces it), `first` overriding parameters of the first copy"

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        var times = try arguments.integer("times", in: 1...1_000)
        if let depths = builder.depths, builder.repeatsSeen < depths.count {
            times = depths[builder.repeatsSeen]
            guard (1...1_000).contains(times) else { throw arguments.error("model.blocks gives this repeat \(times) copies; each count must be in 1…1000") }
        }
        builder.repeatsSeen += 1
        let name = try arguments.node("block")?.string ?? ""
        var layers: [any GraphLayer] = []
        var current = shape
        for index in 0..<times {
            let built = try builder.expand(block: name, with: arguments.given("with"), overrides: index == 0 ? arguments.given("first") : nil,
                                           shape: current, bindings: arguments.bindings, at: arguments.item)
            layers += built.layers
            current = built.output
        }
        return BuiltLayers(layers, output: current)
    }
}
