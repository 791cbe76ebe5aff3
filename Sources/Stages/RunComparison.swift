import Foundation
import Pipeline
import Reports

/// `speakerlab compare RUN_A RUN_B ...`: what differs in the resolved specs, the metrics side by
/// side with their differences from the first run, and the training curves overlaid in one SVG.
public struct RunComparison {
    /// The runs, the first being the reference.
    public let runs: [PublishedRun]

    /// Reads the run folders (each must hold `metrics.csv`).
    public init(folders: [String]) throws {
        guard folders.count >= 2 else { throw PipelineError("compare needs at least two run folders, e.g. Results/a Results/b") }
        runs = try folders.map { path in
            let url = URL(fileURLWithPath: path).standardizedFileURL
            return try PublishedRun(folder: url, name: url.lastPathComponent)
        }
    }

    /// Spec keys whose values differ between the runs: key, then one cell per run.
    public var specDifferences: Table {
        let leaves = runs.map { $0.spec.map { PublishedRun.leaves($0) } ?? [:] }
        var table = Table(header: ["key"] + runs.map(\.name))
        for key in Set(leaves.flatMap(\.keys)).sorted() {
            let values = leaves.map { $0[key] ?? "(absent)" }
            if Set(values).count > 1 { table.append([key] + values) }
        }
        return table
    }

    /// Metrics of every run side by side, then each later run's difference from the first.
    public var metrics: Table {
        var names: [String] = []
        for run in runs { for metric in run.metrics where !names.contains(metric.name) { names.append(metric.name) } }
        let deltas = runs.dropFirst().map { "Δ \($0.name)" }
        var table = Table(header: ["metric"] + runs.map(\.name) + deltas)
        for name in names {
            let values = runs.map { $0.metric(name) ?? "–" }
            let reference = Double(values[0])
            let differences = values.dropFirst().map { value -> String in
                guard let reference, let number = Double(value) else { return "–" }
                return String(format: "%+.4g", number - reference)
            }
            table.append([name] + values + differences)
        }
        return table
    }

    /// The overlaid training curves, or nil when no run has a history.
    public var curves: String? {
        let histories = runs.compactMap { run in run.history.map { (name: run.name, history: $0) } }
        return histories.isEmpty ? nil : TrainingCurves.overlay(histories)
    }

    /// The text `speakerlab compare` prints; writes the curves to `plotPath` when there are any.
    public func report(plotPath: String?) throws -> String {
        let differences = specDifferences
        var text = "spec differences\n" + (differences.rows.isEmpty ? "(none: the resolved specs are identical)\n" : differences.aligned)
        text += "\nmetrics\n" + metrics.aligned
        if let plotPath, let curves {
            try AtomicFile.write(curves, to: plotPath)
            text += "\ntraining curves: \(plotPath)\n"
        }
        return text
    }
}
