import Diagnostics

/// Every layer kind of the model-graph language, in one list: the builder looks words up here,
/// and the known-kinds list of its error messages is this list's words.
public enum LayerRegistry {
    /// The kinds. A new kind is a file under `Layers/` and a line here.
    static let kinds: [any LayerKind.Type] = [
        ActivationLayer.self, BatchNormLayer.self, BlockKind.self, ChannelAttentionLayer.self, ConvolutionLayer.self,
        DenseLayer.self, DropoutLayer.self, GlobalAveragePoolLayer.self, GlobalMaxPoolLayer.self, L2NormalizeLayer.self,
        MeanLayer.self, PoolLayer.self, RepeatKind.self, ResidualLayer.self, SqueezeExciteLayer.self,
        StatisticsPoolLayer.self, TimeByFeaturesLayer.self,
    ]

    /// The kinds by word.
    static let byWord: [String: any LayerKind.Type] = Dictionary(uniqueKeysWithValues: kinds.map { ($0.word, $0) })

    /// The words, sorted, for messages and documentation.
    static var words: [String] { kinds.map { $0.word }.sorted() }

    /// The README section the vocabulary fills.
    public static let section = GeneratedSection(name: "model-graph-vocabulary", command: "speakerlab model reference")

    /// The vocabulary as a Markdown table: each word, its arguments and what it does.
    public static func markdown() -> String {
        var rows = ["| layer | arguments | what it does |", "|---|---|---|"]
        for kind in kinds.sorted(by: { $0.word < $1.word }) {
            let arguments = kind.takesScalar ? "a word" : kind.arguments.isEmpty ? "none (a bare word)" : kind.arguments.map { "`\($0)`" }.joined(separator: ", ")
            rows.append("| `\(kind.word)` | \(arguments) | \(kind.summary.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        return rows.joined(separator: "\n") + "\n"
    }
}
