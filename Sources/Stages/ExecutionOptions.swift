import Foundation
import Pipeline
import Spec
import Tensor

/// Where and how an experiment's stages run: the spec's `execution:` block, with command-line
/// options taking precedence. Never part of a cache key: a stage computed on a cluster is the
/// same entry as one computed here.
public struct ExecutionOptions: Sendable {
    /// `local` or `slurm`; nil takes the spec's.
    public var executor: String?
    /// Slurm resource requests; nil (or empty) takes the spec's.
    public var partition: String?, time: String?, memory: String?
    /// Slurm CPUs per stage and the job-array cap; nil takes the spec's.
    public var cpus: Int?, maxParallel: Int?
    /// Resubmit Slurm jobs that failed or were lost.
    public var retry = false
    /// Local: stages at once.
    public var jobs = 1
    /// Local: run independent stages after a failure.
    public var keepGoing = false
    /// Slurm: seconds between queue polls.
    public var pollSeconds = 2.0
    /// Engine threads; nil takes the spec's `execution.threads` (0 there: the CPUs this process may use).
    public var threads: Int?

    /// Creates options (every field may be set afterwards).
    public init(jobs: Int = 1, keepGoing: Bool = false) {
        self.jobs = jobs
        self.keepGoing = keepGoing
    }

    /// What a Slurm job needs to rebuild its stage: the spec, the overrides and the stage's id in that plan.
    struct Recipe: Codable, Equatable {
        let spec: String
        let overrides: [String]
        let stage: String
        let results: String
    }

    /// Sets the engine's thread count and numerics mode for a spec, before any stage runs: the
    /// command line's `--threads`, else `execution.threads`, else the CPUs this process may use.
    public func applyEngineSettings(spec: ExperimentSpec) throws {
        let requested = threads ?? spec.execution.threads
        guard (0...4_096).contains(requested) else { throw PipelineError("--threads must be in 1…4096 (or 0 for the CPUs this process may use), not \(requested)") }
        Parallel.threads = requested > 0 ? requested : ProcessorBudget.available
        Numerics.select(spec.execution.numerics == .fast ? .fast : .reproducible)
    }

    /// The executor for a spec; `recipes` maps each stage id of the graph to how a job rebuilds it.
    func executor(spec: ExperimentSpec, recipes: [String: Recipe]) throws -> Executor {
        let block = spec.execution
        let kind = executor ?? block.executor.rawValue
        switch kind {
        case "local":
            return LocalExecutor(jobs: jobs, keepGoing: keepGoing)
        case "slurm":
            var settings = SlurmExecutor.Settings()
            func text(_ option: String?, _ value: String) -> String? {
                let value = option ?? value
                return value.isEmpty ? nil : value
            }
            settings.partition = text(partition, block.partition)
            settings.time = text(time, block.time)
            settings.memory = text(memory, block.mem)
            settings.cpus = (cpus ?? block.cpus) > 0 ? (cpus ?? block.cpus) : nil
            settings.maxParallel = (maxParallel ?? block.maxParallel) > 0 ? (maxParallel ?? block.maxParallel) : nil
            settings.retry = retry
            settings.pollSeconds = pollSeconds
            let client = SlurmClient()
            guard client.isAvailable else { throw PipelineError("--executor slurm needs sbatch on PATH; run on a Slurm login node, or use --executor local") }
            let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            return SlurmExecutor(settings: settings, client: client) { stage, _, folder, forced in
                guard let recipe = recipes[stage.id] else { throw PipelineError("no recipe for stage \(stage.id)") }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try AtomicFile.write(try encoder.encode(recipe), to: folder.appendingPathComponent("recipe.json").path)
                // A job with --cpus-per-task runs the engine on exactly that many threads.
                return [binary, "stage", "run", folder.lastPathComponent, "--results", recipe.results]
                    + (settings.cpus.map { ["--threads", String($0)] } ?? []) + (forced ? ["--force"] : [])
            }
        default:
            throw PipelineError("executor '\(kind)' is not known; use local or slurm")
        }
    }
}

/// `speakerlab stage run KEY`: what a Slurm job runs.
public enum StageJob {
    /// Rebuilds the stage a job folder's recipe names, checks that it still has the key, and runs it.
    public static func run(key hex: String, locations: ExperimentRun.Locations, force: Bool, threads: Int? = nil) throws -> StageRunner.Outcome {
        guard let key = CacheKey(hex: hex) else { throw PipelineError("'\(hex)' is not a cache key (64 hex digits)") }
        let store = try ArtifactStore(root: locations.cache)
        let file = SlurmExecutor.jobFolder(store, key).appendingPathComponent("recipe.json")
        guard let data = try? Data(contentsOf: file) else { throw PipelineError("\(file.path) is missing; the runner writes it when it submits the job") }
        let recipe = try JSONDecoder().decode(ExecutionOptions.Recipe.self, from: data)
        let plan = try ExperimentPlan(specPath: recipe.spec, overrides: recipe.overrides, cache: locations.cache)
        var options = ExecutionOptions()
        options.threads = threads
        try options.applyEngineSettings(spec: plan.spec)
        guard plan.graph.keys[recipe.stage] == key else {
            throw PipelineError("stage '\(recipe.stage)' of \(recipe.spec) now has key \(plan.graph.keys[recipe.stage]?.short ?? "none"), not \(key.short): the spec, a model file or SpeakerLab changed since the job was submitted; rerun `speakerlab run`")
        }
        return try StageRunner(store: store, force: force ? [recipe.stage] : []).runStage(recipe.stage, of: plan.graph)
    }
}
