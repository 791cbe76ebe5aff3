import ArgumentParser
import Foundation
import Pipeline
import Stages

/// `speakerlab status`: experiments in Results/ and their state.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "List the experiments in Results/ with their metrics and cached stages.")

    @Option(help: "The results folder.")
    var results: String = "Results"

    func run() throws {
        print(try ExperimentRun.statusText(locations: .init(results: URL(fileURLWithPath: results))), terminator: "")
    }
}

/// `speakerlab gc`: remove cache entries no experiment refers to.
struct GarbageCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gc", abstract: "List (or with --apply remove) cache entries no experiment in Results/ refers to.")

    @Option(help: "The results folder.")
    var results: String = "Results"

    @Flag(help: "Remove them (without it, only list them).")
    var apply = false

    func run() throws {
        print(try ExperimentRun.garbageCollect(locations: .init(results: URL(fileURLWithPath: results)), apply: apply), terminator: "")
    }
}

/// `speakerlab runs`: every published run under the results folder, one row each.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List every published run under Results/: chosen spec keys and metrics with their 95 % intervals.")

    @Argument(help: "A results folder, or an experiment's folder in it (default: Results).")
    var folder: String = "Results"

    @Option(help: "Spec keys to show as columns, comma-separated: model (the graph and width) or any dotted key (default: none).")
    var params: String?

    @Option(help: "Metrics to show, comma-separated (default: eer,min_dcf_p0.01,si_top1).")
    var metrics: String?

    @Option(help: "table (aligned, for a terminal) or csv (every value with its interval bounds).")
    var format: String = "table"

    func run() throws {
        func list(_ text: String?) -> [String]? { text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } }
        let listing = RunList(parameters: list(params) ?? RunList.defaultParameters, metrics: list(metrics) ?? RunList.defaultMetrics)
        do {
            let runs = try RunList.runs(under: folder)
            switch format {
            case "table":
                print(listing.table(runs).aligned, terminator: "")
                if runs.contains(where: \.selectedOnTestSpeakers) { print(PublishedRun.testSelectionNote) }
            case "csv": print(listing.csv(runs).csv, terminator: "")
            default: throw ValidationError("--format must be table or csv, not '\(format)'")
            }
        } catch let error as PipelineError {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}
