import ArgumentParser
import Foundation
import Pipeline
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
            guard let update else { print(SpecReference.markdown(), terminator: ""); return }
            guard let text = try? String(contentsOfFile: update, encoding: .utf8) else { printError("\(update): error: cannot read this file"); throw ExitCode(2) }
            guard let updated = SpecReference.updating(text) else {
                printError("\(update): error: no reference block; add the lines\n\(SpecReference.begin)\n\(SpecReference.end)")
                throw ExitCode(2)
            }
            try AtomicFile.write(updated, to: update)
        }
    }
}
