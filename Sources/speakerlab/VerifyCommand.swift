import ArgumentParser
import Foundation
import Pipeline
import Stages
import Tensor

/// `speakerlab verify RUN A.wav B.wav`.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Are two files the same speaker? The cosine score, the calibrated log-likelihood ratio and the decision at the run's operating point.",
        discussion: "Exits 0 when the files are judged the same speaker, 1 when different speakers, 2 on an error."
    )

    @OptionGroup var trained: TrainedRunOptions

    @Argument(help: "The first audio file.")
    var first: String

    @Argument(help: "The second audio file.")
    var second: String

    @Option(help: "eer, min_dcf_p0.01 or min_dcf_p0.001 (default: the calibration's calibrate.operating_point).")
    var operatingPoint: String?

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func run() throws {
        do {
            for file in [first, second] where !FileManager.default.fileExists(atPath: file) { throw PipelineError("\(file): no such file") }
            let result = try PairVerification(first, second, embedder: try trained.embedder(standard: .run), operatingPoint: operatingPoint, threads: Parallel.threads)
            print(json ? result.json : result.text, terminator: "")
            if !result.accepted { throw ExitCode(1) }
        } catch let error as PipelineError {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}
