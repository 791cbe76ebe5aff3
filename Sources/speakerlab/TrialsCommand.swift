import ArgumentParser
import Foundation
import Pipeline
import Stages

/// `speakerlab trials RUN --out DIR`.
struct TrialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trials",
        abstract: "Write the trials a run's evaluate stage scored (trials.txt, enrolment.txt, speakers.txt), for speakerlab score."
    )

    @OptionGroup var folder: RunFolderOptions

    @Option(help: "The folder the files are written to (created if needed).")
    var out: String

    func run() throws {
        do {
            try PublishedFolderGuard.check(URL(fileURLWithPath: out))
            let root = try EvaluationTrialFiles.write(folder.open(), to: URL(fileURLWithPath: out))
            // The root alone on standard output, so that `root=$(speakerlab trials …)` works.
            printError("wrote \(out)/trials.txt, enrolment.txt and speakers.txt, paths relative to the corpus root (pass it to speakerlab score as --root):")
            print(root)
        } catch let error as PipelineError {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}
