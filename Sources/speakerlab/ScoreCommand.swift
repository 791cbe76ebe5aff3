import ArgumentParser
import Foundation
import Pipeline
import Stages
import Tensor

/// `speakerlab score RUN TRIALS --root DIR --out DIR`.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a trial list (label enrol test, or enrol test) with a trained run: scores.csv, and for a labelled list metrics with 95 % intervals and ROC/DET plots."
    )

    @OptionGroup var trained: TrainedRunOptions

    @Argument(help: "A trial list: one 'label enrol test' (label 1 or 0) or 'enrol test' line per trial.")
    var trials: String

    @Option(help: "The folder the trial list's paths are relative to.")
    var root: String = "."

    @Option(help: "Enrolment models, one 'model file1 file2 …' line each (Kaldi spk2utt style); a trial's enrol field may name one.")
    var enrolment: String?

    @Option(help: "The speaker of each file or model, one 'name speaker' line each, for the intervals' speaker bootstrap (default: a file's first path component).")
    var speakers: String?

    @Option(help: "Where scores.csv, metrics.csv and the plots are written (created if needed).")
    var out: String

    @Option(name: .long, parsing: .upToNextOption, help: "Metric names (default: the run's evaluate.metrics). Comma or space separated.")
    var metrics: [String] = []

    @Option(help: "Engine threads (default: the CPUs this process may use). Results do not depend on it.")
    var threads: Int?

    func validate() throws {
        if let threads { guard (1...4_096).contains(threads) else { throw ValidationError("--threads must be in 1…4096; got \(threads)") } }
    }

    func run() throws {
        do {
            if let threads { Parallel.threads = threads }
            try PublishedFolderGuard.check(URL(fileURLWithPath: out))
            let file = try TrialFile(trials: trials, enrolment: enrolment, speakers: speakers)
            let embedder = try trained.embedder(standard: .run)
            let names = metrics.flatMap { $0.split(separator: ",").map(String.init) }
            let outcome = try TrialScoring.score(file, root: root, embedder: embedder, metricNames: names.isEmpty ? nil : names,
                                                 out: URL(fileURLWithPath: out), threads: Parallel.threads)
            for written in outcome.written { printError("wrote \(written.path)") }
            print("\(file.trials.count) trial(s) over \(file.files.count) file(s) scored")
            if file.isLabelled, let note = file.speakerNote { printError(note) }
            if let text = outcome.metricsText { print(text, terminator: "") }
        } catch let error as PipelineError {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}
