import ArgumentParser
import Diagnostics
import Models
import Stages

/// `speakerlab model`: inspect model graphs.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect model graphs (Experiments/models/*.yaml).",
        subcommands: [ModelSummaryCommand.self, ModelReferenceCommand.self]
    )
}

/// `speakerlab model reference [--update README.md]`: the layer vocabulary, from the registry.
struct ModelReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reference", abstract: "Print every layer kind of the model-graph language with its arguments (Markdown).")

    @Option(help: "Rewrite the vocabulary section of this Markdown file in place instead of printing it.")
    var update: String?

    func run() throws {
        try printOrUpdate(LayerRegistry.section, markdown: LayerRegistry.markdown(), update: update)
    }
}

/// `speakerlab model summary FILE`.
struct ModelSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "Each layer's output shape and parameter count, and the totals, like Keras.")

    @Argument(help: "A model graph, e.g. Experiments/models/deepspeaker.yaml.")
    var file: String

    @Option(help: "Input frames×bands×channels, e.g. 299x40x1 (default: the file's).")
    var input: String?

    @Option(help: "Add a softmax head over this many classes (e.g. 462 for TIMIT's training speakers).")
    var classes: Int?

    @Option(help: "Width knob: scales every conv's filters and dense layer's units.")
    var width: Double = 1

    @Option(help: "Depth knob: comma-separated repeat counts, e.g. 1,1,1,1.")
    var blocks: String?

    func run() throws {
        var shape: [Int]? = nil
        if let input {
            guard let parsed = ModelSummaryText.parseShape(input) else { throw ValidationError("--input must look like 299x40x1") }
            shape = parsed
        }
        let depths = try blocks.map { text -> [Int] in
            let values = text.split(separator: ",").compactMap { Int($0) }
            guard !values.isEmpty else { throw ValidationError("--blocks must look like 1,1,1,1") }
            return values
        }
        do {
            print(try ModelSummaryText.text(file: file, input: shape, width: width, depths: depths, classes: classes), terminator: "")
        } catch let error as Diagnostic {
            printError("\(error)")
            throw ExitCode(1)
        }
    }
}
