import NN
import Tensor

/// The two dense layers of a channel gate (squeeze-excite, channel attention): channels →
/// channels / ratio → channels, built in that order so initialisation follows the graph.
struct ChannelGate {
    let hidden: Dense
    let output: Dense

    var parameters: [Parameter] { hidden.parameters + output.parameters }

    /// Reads `ratio` and `bias` and builds the pair for the input's channels, under `name`.
    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder, summaryKind: String) throws -> ChannelGate {
        try requireFeatureMap(arguments, shape)
        let channels = shape[2]
        let ratio = try arguments.integer("ratio", default: 8, in: 1...65_536)
        let useBias = try arguments.boolean("bias", default: true)
        let reduced = max(1, channels / ratio)
        try builder.reserve(parameters: 2 * channels * reduced + (useBias ? channels + reduced : 0), for: arguments)
        let name = builder.uniqueName(arguments.kind)
        let gate = ChannelGate(hidden: Dense(name: name + ".dense1", inputs: channels, outputs: reduced, useBias: useBias, using: &builder.generator),
                               output: Dense(name: name + ".dense2", inputs: reduced, outputs: channels, useBias: useBias, using: &builder.generator))
        builder.record(name, kind: summaryKind, output: shape, parameters: gate.parameters)
        return gate
    }

    /// [N, C] → [N, C] through the bottleneck.
    func callAsFunction(_ v: Variable, tape: Tape) -> Variable { output(relu(hidden(v, tape: tape)), tape: tape) }

    /// The gate as ONNX nodes on a vector [N, C].
    func export(_ v: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        let hidden = try self.hidden.export(v, &graph)
        return try output.export(.init(name: graph.add("Relu", [hidden.name]), isFeatureMap: false), &graph)
    }
}
