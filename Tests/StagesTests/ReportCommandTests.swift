import Foundation
import Testing
import TestSupport
import Pipeline
@testable import Stages

/// `speakerlab table`, `--check`, `compare` and the published report, on real synthetic runs.
@Suite struct ReportCommandTests {
    /// Writes a published run folder the way `publish` does: metrics, a spec, a history.
    static func publishRun(_ folder: URL, metrics: String, lr: Double) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try metrics.write(to: folder.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
        let spec = #"{"finetune":{"optimizer":{"kind":"sgd","lr":\#(lr)}},"model":{"graph":"deepspeaker.yaml","width":0.25},"name":"x","seed":1}"#
        try spec.write(to: folder.appendingPathComponent("spec.json"), atomically: true, encoding: .utf8)
        try "stage,epoch,step,loss\npretrain,1,4,2.0\npretrain,2,8,1.\(Int(lr * 1000))\nfinetune,0,2,0.1\nfinetune,0,4,0.05\n"
            .write(to: folder.appendingPathComponent("history.csv"), atomically: true, encoding: .utf8)
    }

    @Test func aTableOfTwoRunsHasExactlyTheSeedsShape() throws {
        let results = TemporaryDirectory()
        try Self.publishRun(results.url.appendingPathComponent("sweep/lr=0.001"), metrics: "eer,min_dcf_p0.01,si_top1\n0.08155410,0.5,0.9166667\n", lr: 0.001)
        try Self.publishRun(results.url.appendingPathComponent("sweep/lr=0.01"), metrics: "eer,min_dcf_p0.01,si_top1\n0.125,0.6666667,0.75\n", lr: 0.01)
        let runs = try PublishedRun.collect([results.path("sweep")])
        #expect(try ResultsTable().table(runs).markdown == """
        | run      |    EER | minDCF (P_tar=0.01, C_miss=C_fa=1) | SI top-1 |
        |----------|-------:|-----------------------------------:|---------:|
        | lr=0.001 | 0.0816 |                             0.5000 |   0.9167 |
        | lr=0.01  | 0.1250 |                             0.6667 |   0.7500 |

        """)
        #expect(try ResultsTable(metrics: ["si_top1", "eer"], by: ["model", "finetune.optimizer.lr"], digits: 3).table(runs).csv == """
        model,finetune.optimizer.lr,SI top-1,EER
        deepspeaker ×0.25,0.001,0.917,0.082
        deepspeaker ×0.25,0.01,0.750,0.125

        """)
        #expect { try ResultsTable(metrics: ["cllr"]).table(runs) } throws: { "\($0)".contains("no run has the metric 'cllr'") }
        #expect { try PublishedRun.collect([results.path("nothing")]) } throws: { "\($0)".contains("is not a folder") }
    }

    @Test func realRunsGiveATableThatTheCheckAcceptsUntilANumberChanges() throws {
        let results = TemporaryDirectory()
        let spec = ExperimentRunTests.tinySpec
        let sweep = try Sweep(overrides: ExperimentRunTests.tiny + ["finetune.optimizer.lr=0.001,0.01"])
        let summary = try sweep.run(specPath: spec, locations: .init(results: results.url), jobs: 2, keepGoing: false)
        #expect(summary.succeeded, "\(summary.text)")
        let runs = try PublishedRun.collect([results.path("quickstart")])
        #expect(runs.map(\.name) == ["lr=0.001", "lr=0.01"])
        let table = try ResultsTable(by: ["finetune.optimizer.lr"]).table(runs)
        // Each cell is the run's own metrics.csv value and 95 % interval, rounded to 4 decimals.
        for (row, run) in zip(table.rows, runs) {
            let (eer, lower, upper) = try (#require(Double(run.metric("eer") ?? "")), #require(Double(run.metric("eer_lo") ?? "")), #require(Double(run.metric("eer_hi") ?? "")))
            #expect(row[1] == String(format: "%.4f [%.4f, %.4f]", eer, lower, upper))
            #expect(lower <= eer && eer <= upper)
        }
        #expect(try ResultsTable(by: ["finetune.optimizer.lr"], intervals: .none).table(runs).rows[0][1] == String(format: "%.4f", Double(runs[0].metric("eer")!)!))
        #expect(try ResultsTable(by: ["finetune.optimizer.lr"], intervals: .plusminus).table(runs).rows[0][1].contains(" ± "))
        let csv = try ResultsTable(metrics: ["eer"], by: ["finetune.optimizer.lr"]).csvTable(runs)
        #expect(csv.header == ["finetune.optimizer.lr", "EER", "EER_lo", "EER_hi"])
        let readme = results.path("README.md")
        try ("# Results\n\n" + table.markdown + "\nThe end.\n").write(toFile: readme, atomically: true, encoding: .utf8)
        #expect(try ResultsTable.check(table, file: readme, tolerance: 1e-4).isEmpty)
        // Change one number in the file: the check fails and names the line.
        var lines = try String(contentsOfFile: readme, encoding: .utf8).components(separatedBy: "\n")
        let rowLine = try #require(lines.firstIndex { $0.split(separator: "|").first?.trimmingCharacters(in: .whitespaces) == "0.01" })
        var cells = lines[rowLine].components(separatedBy: "|")
        let published = cells[2].trimmingCharacters(in: .whitespaces)
        let value = Double(published.split(separator: " ")[0])!
        let bounds = published.split(separator: "[")[1].dropLast().split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
        // A value moved inside its interval: the digits differ, but it is within the published interval.
        let inside = (value + bounds[1]) / 2
        cells[2] = " " + String(format: "%.4f [%.4f, %.4f]", inside, bounds[0], bounds[1]) + " "
        lines[rowLine] = cells.joined(separator: "|")
        try lines.joined(separator: "\n").write(toFile: readme, atomically: true, encoding: .utf8)
        let differences = try ResultsTable.check(table, file: readme, tolerance: 1e-4)
        #expect(differences.count == 1 && differences[0].hasPrefix("\(readme):\(rowLine + 1): row '0.01', column 'EER'"), "\(differences)")
        #expect(try ResultsTable.check(table, file: readme, tolerance: 1e-4, withinIntervals: true).isEmpty)
        // An interval the fresh value falls outside of fails --within-ci too.
        cells[2] = " " + String(format: "%.4f [%.4f, %.4f]", value, value + 0.01, value + 0.02) + " "
        lines[rowLine] = cells.joined(separator: "|")
        try lines.joined(separator: "\n").write(toFile: readme, atomically: true, encoding: .utf8)
        let outside = try ResultsTable.check(table, file: readme, tolerance: 1e-4, withinIntervals: true)
        #expect(outside.count == 1 && outside[0].contains("outside the file's interval"), "\(outside)")

        // compare: the one differing key, metrics with deltas, overlaid curves.
        let comparison = try RunComparison(folders: [results.path("quickstart/lr=0.001"), results.path("quickstart/lr=0.01")])
        #expect(comparison.specDifferences.rows == [["finetune.optimizer.lr", "0.001", "0.01"]])
        #expect(comparison.metrics.header == ["metric", "lr=0.001", "lr=0.01", "Δ lr=0.01"])
        let eerRow = try #require(comparison.metrics.rows.first { $0[0] == "eer" })
        let delta = Double(runs[1].metric("eer")!)! - Double(runs[0].metric("eer")!)!
        #expect(abs(Double(eerRow[3])! - delta) < 1e-3)
        let text = try comparison.report(plotPath: results.path("curves.svg"))
        #expect(text.contains("spec differences") && FileManager.default.fileExists(atPath: results.path("curves.svg")))
        // Both points scored the same trials, so the difference is paired and judged (here: too
        // few test speakers for a verdict either way).
        #expect(text.contains("paired differences, lr=0.01 − lr=0.001") && text.contains("too few speakers (4) to tell"), "\(text)")

        // The published report: metrics with intervals and how they were made, the DET's EER interval.
        let metricsSection: String = try String(contentsOfFile: results.path("quickstart/lr=0.01/report.md"), encoding: .utf8)
        #expect(metricsSection.contains("95 % confidence interval") && metricsSection.contains("percentile bootstrap over speakers") && metricsSection.contains("1000 resamples"))
        #expect(try String(contentsOfFile: results.path("quickstart/lr=0.01/plots/det.svg"), encoding: .utf8).contains("EER "))

        // The published report: plots, stage times and the environment.
        let report = try String(contentsOfFile: results.path("quickstart/lr=0.01/report.md"), encoding: .utf8)
        for section in ["## Spec in brief", "## Metrics", "## Stage times", "## Environment", "![pretrain-curves](plots/pretrain-curves.svg)",
                        "![roc](plots/roc.svg)", "![waveform-before-vad](plots/sample/waveform-before-vad.svg)", "| finetune | "] {
            #expect(report.contains(section), "report.md lacks \(section)")
        }
        for plot in ["pretrain-curves.svg", "finetune-curves.svg", "det.svg", "sample/features.svg", "sample/waveform-after-vad.svg"] {
            #expect(FileManager.default.fileExists(atPath: results.path("quickstart/lr=0.01/plots/\(plot)")), "missing \(plot)")
        }
    }
}
