import Foundation

/// Where a stage graph's stages run: in this process (`LocalExecutor`) or as Slurm jobs
/// (`SlurmExecutor`). Either way each stage's output lands in the same cache under its key.
public protocol Executor {
    /// Runs (or finds cached) every stage of the graph and reports each one's outcome.
    func run(_ graph: StageGraph, store: ArtifactStore, force: Set<String>) -> StageRunner.Summary
}

/// Runs stages on this machine's threads, `jobs` at a time.
public struct LocalExecutor: Executor {
    /// Stages run at once.
    public let jobs: Int
    /// Whether to run independent stages after a failure.
    public let keepGoing: Bool

    /// Creates a local executor.
    public init(jobs: Int = 1, keepGoing: Bool = false) {
        self.jobs = jobs
        self.keepGoing = keepGoing
    }

    public func run(_ graph: StageGraph, store: ArtifactStore, force: Set<String>) -> StageRunner.Summary {
        StageRunner(store: store, jobs: jobs, keepGoing: keepGoing, force: force).run(graph)
    }
}

extension StageRunner {
    /// Runs one stage of a graph whose inputs are already in the cache (what a Slurm job does).
    public func runStage(_ id: String, of graph: StageGraph) throws -> Outcome {
        guard let stage = graph.stages.first(where: { $0.id == id }) else { throw PipelineError("no stage '\(id)' in the graph") }
        for input in stage.inputs where !store.isComplete(graph.keys[input]!) {
            throw PipelineError("stage '\(id)' needs '\(input)', which is not in the cache (\(graph.keys[input]!.short))")
        }
        return execute(stage, key: graph.keys[id]!, inputs: stage.inputs.map { ($0, graph.keys[$0]!) })
    }
}
