import ArgumentParser
import Spec

/// `speakerlab spec reference [--update README.md]`: the spec reference, printed from the schema.
struct SpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spec", abstract: "The experiment spec's reference.",
                                                    subcommands: [Reference.self])

    struct Reference: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reference", abstract: "Print every spec key with its type, default, allowed values and meaning (Markdown).")

        @Option(help: "Rewrite the reference block of this Markdown file in place instead of printing it.")
        var update: String?

        func run() throws {
            try printOrUpdate(SpecReference.section, markdown: SpecReference.markdown(), update: update)
        }
    }
}
