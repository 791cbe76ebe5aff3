import ArgumentParser
import Stages

/// `speakerlab metrics SCORES.csv`: verification metrics for any score file.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Compute verification metrics for a score file with 'label' and 'score' columns."
    )

    @Argument(help: "A CSV file with a header naming 'label' (1 target, 0 non-target) and 'score'.")
    var scores: String

    @Option(name: .long, parsing: .upToNextOption,
            help: "Metric names (default: eer auc ap min_dcf_p0.01 min_dcf_p0.001 cllr eer_seed acc_seed pr_auc_seed). Comma or space separated.")
    var metrics: [String] = []

    @Option(name: .long, help: "Output format: table or csv.")
    var format: OutputFormat = .table

    @Option(help: "Also write roc.csv, roc.svg and det.svg into this folder.")
    var curves: String?

    enum OutputFormat: String, ExpressibleByArgument { case table, csv }

    func run() throws {
        let names = metrics.flatMap { $0.split(separator: ",").map(String.init) }
        do {
            let table = try ScoreFileMetrics.evaluate(path: scores, metricNames: names)
            print(format == .csv ? table.csv : table.aligned, terminator: "")
            if let curves {
                for written in try ScoreFileMetrics.writeCurves(path: scores, folder: curves) { printError("wrote \(written)") }
            }
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }
}

/// Writes one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

import Foundation
