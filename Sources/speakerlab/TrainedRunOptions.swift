import ArgumentParser
import Stages

/// What every command on a trained run shares: the run folder, where its cache is, and which
/// length of each file is embedded.
struct TrainedRunOptions: ParsableArguments {
    @Argument(help: "A published run: Results/<name> (or a sweep point's folder).")
    var run: String

    @Option(help: "The results folder whose .cache/ holds the run's model (default: the nearest above the run).")
    var results: String?

    @Option(help: "run: the run's own front end, cut to its fixed length as its evaluate stage embedded; whole: the whole voiced utterance, any length.")
    var length: Length = .run

    /// Which part of each file is embedded.
    enum Length: String, ExpressibleByArgument, CaseIterable { case run, whole }

    /// Opens the run and its network.
    func embedder() throws -> RunEmbedder {
        try RunEmbedder(run: TrainedRun(path: run, results: results), wholeUtterance: length == .whole)
    }
}
