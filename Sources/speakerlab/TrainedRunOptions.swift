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

/// What every command that embeds audio with a trained run shares: the run, and which length
/// of each file is embedded.
struct TrainedRunOptions: ParsableArguments {
    @OptionGroup var folder: RunFolderOptions

    @Option(help: "run: the run's own front end, cut to its fixed length as its evaluate stage embedded; whole: the whole voiced utterance, any length.")
    var length: Length = .run

    /// Which part of each file is embedded.
    enum Length: String, ExpressibleByArgument, CaseIterable { case run, whole }

    /// Opens the run and its network.
    func embedder() throws -> RunEmbedder {
        try RunEmbedder(run: folder.open(), wholeUtterance: length == .whole)
    }
}
