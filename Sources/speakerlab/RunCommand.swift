import Diagnostics
import ArgumentParser
import Foundation
import Pipeline
import Spec
import Stages

/// Options every experiment command shares.
struct ExperimentOptions: ParsableArguments {
    @Argument(help: "An experiment spec, e.g. Experiments/quickstart.yaml.")
    var spec: String

    @Option(name: .customLong("set"), help: "Override a spec key: --set finetune.optimizer.lr=0.001 (repeatable); a,b,c sweeps the key; [a, b] is one list value.")
    var overrides: [String] = []

    @Option(help: "The results folder (the cache is its .cache/).")
    var results: String = "Results"

    var locations: ExperimentRun.Locations { .init(results: URL(fileURLWithPath: results)) }

    /// The spec, read once, and the points to run: the spec's `sweep:` block and `--set` lists
    /// (grid), and `--zip` lists. `run` and `plan` accept exactly the same sweeps.
    func sweep(zip: [String]) throws -> (SpecSource, Sweep) {
        let source = try SpecSource(path: spec)
        return (source, try Sweep(source: source, overrides: overrides, zip: zip))
    }
}

/// `speakerlab run SPEC`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run an experiment: cached stages are skipped, results go to Results/<name>/.")

    @OptionGroup var experiment: ExperimentOptions

    @Option(help: "Stages to run at once.")
    var jobs: Int = 1

    @Flag(help: "After a failure, still run the stages that do not depend on it.")
    var keepGoing = false

    @Option(help: "Recompute this stage and those after it, even if cached (repeatable).")
    var force: [String] = []

    @Option(help: "Sweep keys that advance together: --zip a.b=1,2 --zip c.d=3,4 (repeatable).")
    var zip: [String] = []

    @Option(help: "local (default) or slurm; overrides the spec's execution.executor.")
    var executor: String?

    @Option(help: "Slurm partition (sbatch --partition).")
    var partition: String?

    @Option(help: "Slurm time limit per stage (sbatch --time), e.g. 04:00:00.")
    var time: String?

    @Option(help: "Slurm memory per stage (sbatch --mem), e.g. 16G.")
    var mem: String?

    @Option(help: "Slurm CPUs per stage (sbatch --cpus-per-task).")
    var cpus: Int?

    @Option(help: "Slurm: at most N array tasks of a sweep at once (the array's %N).")
    var maxParallel: Int?

    @Flag(help: "Slurm: resubmit stages whose earlier job failed or was lost.")
    var retry = false

    @Option(help: "Slurm: seconds between queue polls.")
    var poll: Double = 2

    @Option(help: "Engine threads (default: execution.threads, else the CPUs this process may use). Results do not depend on it.")
    var threads: Int?

    func validate() throws {
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be in 1…256; got \(jobs)") }
        // The spec's ranges for execution.cpus and execution.max_parallel (0: the cluster's default, no cap).
        if let cpus { guard (0...4_096).contains(cpus) else { throw ValidationError("--cpus must be in 0…4096; got \(cpus)") } }
        if let maxParallel { guard (0...100_000).contains(maxParallel) else { throw ValidationError("--max-parallel must be in 0…100000; got \(maxParallel)") } }
        guard poll.isFinite, poll > 0, poll <= 3_600 else { throw ValidationError("--poll must be in (0, 3600] seconds; got \(poll)") }
    }

    var execution: ExecutionOptions {
        var options = ExecutionOptions(jobs: jobs, keepGoing: keepGoing)
        options.executor = executor
        options.partition = partition
        options.time = time
        options.memory = mem
        options.cpus = cpus
        options.maxParallel = maxParallel
        options.retry = retry
        options.pollSeconds = poll
        options.threads = threads
        return options
    }

    func run() throws {
        do {
            let (source, sweep) = try experiment.sweep(zip: zip)
            if sweep.isSweep {
                let summary = try sweep.run(source: source, locations: experiment.locations, execution: execution)
                print(summary.text, terminator: "")
                if !summary.succeeded { throw ExitCode(1) }
                let name = try ExperimentPlan(source: source, overrides: sweep.fixed + (sweep.points.first?.overrides ?? []), cache: nil).name
                print("\n\(sweep.points.count) points published under \(experiment.results)/\(name)/; every run under that name: \(experiment.results)/\(name)/summary.csv")
                return
            }
            let overrides = sweep.fixed + (sweep.points.first?.overrides ?? [])
            let plan = try ExperimentPlan(source: source, overrides: overrides, cache: experiment.locations.cache)
            let summary = try ExperimentRun.run(plan, overrides: overrides, locations: experiment.locations, execution: execution, force: Set(force))
            print(summary.text, terminator: "")
            if !summary.succeeded { throw ExitCode(1) }
            print("\n" + (try ExperimentRun.resultsText(plan, overrides: overrides, locations: experiment.locations)), terminator: "")
        } catch let error as Diagnostic {
            printError("\(error)")
            throw ExitCode(2)
        } catch let error as PipelineError {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}

/// `speakerlab plan SPEC`.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Show the experiment's stages and which are cached.")

    @OptionGroup var experiment: ExperimentOptions

    @Option(help: "Sweep keys that advance together (as for run).")
    var zip: [String] = []

    func run() throws {
        do {
            let (source, sweep) = try experiment.sweep(zip: zip)
            for (point, plan) in try sweep.plans(source: source, cache: experiment.locations.cache) {
                if sweep.isSweep { print("[\(point.name)]") }
                print(try ExperimentRun.planText(plan, overrides: sweep.fixed + point.overrides, sweep: sweep.isSweep, locations: experiment.locations), terminator: "")
            }
        } catch let error as Diagnostic {
            printError("\(error)")
            throw ExitCode(2)
        } catch let error as PipelineError {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}
