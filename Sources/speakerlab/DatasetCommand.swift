import ArgumentParser
import Datasets
import Foundation
import Stages

/// `speakerlab dataset`: look at a corpus, or write the synthetic one.
struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Summarise a corpus or write the synthetic one.",
        subcommands: [SummaryCommand.self, SynthesizeCommand.self]
    )
}

/// `speakerlab dataset summary KIND ROOT`.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "Speakers, utterances and hours per split; unreadable files.")

    @Argument(help: "Corpus kind: \(DatasetSummary.kinds.joined(separator: ", ")).")
    var kind: String

    @Argument(help: "The corpus root folder.")
    var root: String

    func run() throws {
        do {
            print(try DatasetSummary.text(kind: kind, root: root), terminator: "")
        } catch let error as DatasetError {
            printError("\(error)")
            throw ExitCode(1)
        }
    }
}

/// `speakerlab dataset synthesize ROOT`.
struct SynthesizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "synthesize", abstract: "Write the deterministic synthetic corpus (16 kHz WAV).")

    @Argument(help: "Output folder.")
    var root: String

    @Option(help: "Number of speakers.") var speakers = 48
    @Option(help: "Utterances per speaker.") var utterances = 10
    @Option(help: "Generator seed.") var seed: UInt64 = 1

    func validate() throws {
        guard (2...10_000).contains(speakers) else { throw ValidationError("--speakers must be in 2…10000; got \(speakers)") }
        guard (1...1_000).contains(utterances) else { throw ValidationError("--utterances must be in 1…1000; got \(utterances)") }
    }

    func run() throws {
        let written = try SyntheticCorpus(speakers: speakers, utterancesPerSpeaker: utterances, seed: seed).write(to: root)
        print("wrote \(written.count) utterances of \(speakers) speakers to \(root)")
    }
}
