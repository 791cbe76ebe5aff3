import ArgumentParser
import Foundation
import Pipeline
import Stages

/// `speakerlab table RESULTS...`: a results table, or a check that a file's table is current.
struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "table", abstract: "Print a results table (one row per run), or check one in a Markdown file.")

    @Argument(help: "Run folders, sweep folders or Results/ itself.")
    var results: [String]

    @Option(help: "Metrics to show, comma-separated (default: every metric the runs have).")
    var metrics: String?

    @Option(help: "Label rows by run (its name), model, or any dotted spec key (repeatable); default: run.")
    var by: [String] = []

    @Option(help: "md or csv.")
    var format: String = "md"

    @Option(help: "Decimals for metric values.")
    var digits: Int = 4

    @Option(help: "Check that this Markdown file holds the same table; exit 1 on a difference.")
    var check: String?

    @Option(help: "Largest accepted difference for --check (default: one unit in the last decimal).")
    var tolerance: Double?

    @Option(help: "How 95 % confidence intervals are shown: none, interval ([lo, hi]) or plusminus.")
    var ci: String = "interval"

    @Flag(help: "With --check: accept fresh values that fall inside the file's published intervals.")
    var withinCi = false

    func run() throws {
        do {
            guard let style = ResultsTable.IntervalStyle(rawValue: ci) else { throw ValidationError("--ci must be none, interval or plusminus, not '\(ci)'") }
            let description = ResultsTable(metrics: metrics.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [], by: by, digits: digits,
                                           intervals: withinCi ? .interval : style)
            let runs = try PublishedRun.collect(results)
            let table = try description.table(runs)
            if let check {
                let differences = try ResultsTable.check(table, file: check, tolerance: tolerance ?? description.defaultTolerance, withinIntervals: withinCi)
                guard differences.isEmpty else {
                    let notes = ResultsTable.fingerprintNotes(runs)
                    printError(differences.joined(separator: "\n") + "\nthe table in \(check) is out of date; the results give:\n" + table.markdown
                               + (notes.isEmpty ? "" : "numerics fingerprints differ, which can explain it:\n" + notes.map { "  " + $0 }.joined(separator: "\n") + "\n"))
                    throw ExitCode(1)
                }
                print("\(check): the table matches the results (\(table.rows.count) rows\(withinCi ? ", every value inside its published interval" : ""))")
                return
            }
            switch format {
            case "md":
                print(table.markdown, terminator: "")
                if runs.contains(where: \.selectedOnTestSpeakers) { print("\n" + PublishedRun.testSelectionNote) }
            case "csv": print(try description.csvTable(runs).csv, terminator: "")
            default: throw ValidationError("--format must be md or csv, not '\(format)'")
            }
        } catch let error as PipelineError {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}

/// `speakerlab compare RUN_A RUN_B ...`.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "Compare runs: spec differences, metrics with deltas, overlaid training curves.")

    @Argument(help: "Two or more run folders; the first is the reference for the deltas.")
    var runs: [String]

    @Option(help: "Where to write the overlaid training curves (SVG; default: compare-curves.svg beside the first run, in its results folder).")
    var plot: String?

    func run() throws {
        do {
            // Beside the first run, not in the working directory: nothing is written outside the results folder.
            let path = plot ?? URL(fileURLWithPath: runs.first ?? ".").standardizedFileURL.deletingLastPathComponent()
                .appendingPathComponent("compare-curves.svg").path
            print(try RunComparison(folders: runs).report(plotPath: path), terminator: "")
        } catch let error as PipelineError {
            printError("error: \(error)")
            throw ExitCode(2)
        } catch let error as ScoreFileMetrics.InputError {
            // A run's scores.csv or identification.csv that does not parse: the message has its path and line.
            printError("\(error)")
            throw ExitCode(2)
        }
    }
}
