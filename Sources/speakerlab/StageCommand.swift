import ArgumentParser
import Foundation
import Pipeline
import Stages
import Tensor

/// `speakerlab stage run KEY`: computes one stage into the cache (what a Slurm job runs).
struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stage", abstract: "Work on single stages (used by Slurm jobs).",
                                                    subcommands: [StageRunCommand.self])
}

/// `speakerlab stage run KEY --results R`.
struct StageRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Compute the stage a job folder's recipe names, under its cache key.")

    @Argument(help: "The stage's cache key (its job folder's name under Results/.cache/jobs/).")
    var key: String

    @Option(help: "The results folder (the cache is its .cache/).")
    var results: String = "Results"

    @Flag(help: "Recompute even if the entry is complete.")
    var force = false

    @Option(help: "Engine threads (the Slurm executor passes the job's --cpus-per-task).")
    var threads: Int?

    func run() throws {
        do {
            let outcome = try StageJob.run(key: key, locations: .init(results: URL(fileURLWithPath: results)), force: force, threads: threads)
            let engine = "(\(Parallel.threads) engine thread\(Parallel.threads == 1 ? "" : "s"))"
            switch outcome {
            case .ran: print("ran \(key) \(engine)")
            case .cached: print("cached \(key) \(engine)")
            case let .failed(reason): printError("FAILED \(key): \(reason)"); throw ExitCode(1)
            case let .skipped(reason): printError("skipped \(key): \(reason)"); throw ExitCode(1)
            }
        } catch let error as PipelineError {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}
