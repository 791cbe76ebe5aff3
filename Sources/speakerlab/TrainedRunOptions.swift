import ArgumentParser
import Stages

/// A published run and the results folder whose cache holds its entries.
struct RunFolderOptions: ParsableArguments {
    @Argument(help: "A published run: Results/<name> (or a sweep point's folder).")
    var run: String

    @Option(help: "The results folder whose .cache/ holds the run's model (default: the nearest above the run).")
    var results: String?

    /// Opens the run.
    func open() throws -> TrainedRun { try TrainedRun(path: run, results: results) }
}

/// Which of the run's trained checkpoints is used.
struct CheckpointOption: ParsableArguments {
    @Option(help: "best (what the run evaluated), last (the end of training) or averaged (the mean of the last average_last snapshots).")
    var checkpoint: TrainedRun.CheckpointChoice = .best
}

extension TrainedRun.CheckpointChoice: ExpressibleByArgument {}

/// What every command that embeds audio with a trained run shares: the run, and which length
/// of each file is embedded.
struct TrainedRunOptions: ParsableArguments {
    @OptionGroup var folder: RunFolderOptions
    @OptionGroup var checkpoint: CheckpointOption

    @Option(help: "whole: the whole voiced utterance, any length (embed's default); run: as the run's evaluate stage embedded, its fixed cut or, with evaluate.length: whole, the whole utterance (the default of score and verify, whose metrics and thresholds are the run's).")
    var length: Length?

    /// Which part of each file is embedded.
    enum Length: String, ExpressibleByArgument, CaseIterable { case run, whole }

    /// Opens the run and its network; `standard` is the command's own default length.
    func embedder(standard: Length) throws -> RunEmbedder {
        let run = try folder.open()
        // `run`: as the run's evaluate stage embedded, the cut or (evaluate.length: whole) the whole utterance.
        let chosen = length ?? standard
        return try RunEmbedder(run: run, wholeUtterance: chosen == .whole || run.evaluate.length == .whole, checkpoint: checkpoint.checkpoint)
    }
}
