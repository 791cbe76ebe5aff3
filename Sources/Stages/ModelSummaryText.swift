import Models

/// `speakerlab model summary`: a model file's layers, output shapes and parameter counts.
public enum ModelSummaryText {
    /// The Keras-style summary of a model file; `classes` adds a softmax head's parameters.
    public static func text(file: String, input: [Int]?, width: Double, depths: [Int]?, classes: Int?) throws -> String {
        let model = try ModelGraph(file: file, input: input, width: width, depths: depths)
        var summary = model.summary
        if let classes {
            let head = ModelSummary.Row(name: "softmax", kind: "Dense", output: [classes],
                                        parameters: model.embeddingSize * classes + classes, nonTrainable: 0)
            summary = ModelSummary(name: summary.name, input: summary.input, rows: summary.rows + [head])
        }
        return summary.text
    }

    /// Parses `299x40x1`.
    public static func parseShape(_ text: String) -> [Int]? {
        let parts = text.lowercased().split(separator: "x").compactMap { Int($0) }
        return parts.count == 3 && parts.allSatisfy { $0 > 0 } ? parts : nil
    }
}
