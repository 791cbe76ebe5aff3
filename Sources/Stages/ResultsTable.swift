import Foundation
import Pipeline
import Reports

/// `speakerlab table`: a results table in the shape of the seed's README, one row per run (or
/// sweep point), one column per metric with the metric's parameters in its heading.
public struct ResultsTable {
    /// Metric names to show; empty shows every metric any run has, in first-seen order.
    public var metrics: [String] = []
    /// Spec keys that label the rows (`run` for the run's name, `model`, `finetune.optimizer.lr`); empty labels them by run name.
    public var by: [String] = []
    /// Decimals printed for metric values.
    public var digits = 4

    /// Creates a table description.
    public init(metrics: [String] = [], by: [String] = [], digits: Int = 4) {
        self.metrics = metrics
        self.by = by
        self.digits = digits
    }

    /// The table of the given runs.
    public func table(_ runs: [PublishedRun]) throws -> Table {
        var names = metrics
        if names.isEmpty {
            for run in runs { for metric in run.metrics where !names.contains(metric.name) { names.append(metric.name) } }
        } else {
            let known = Set(runs.flatMap { $0.metrics.map(\.name) })
            for name in names where !known.contains(name) {
                throw PipelineError("no run has the metric '\(name)'; the runs have: \(known.sorted().joined(separator: ", "))")
            }
        }
        let labels = by.isEmpty ? ["run"] : by
        var table = Table(header: labels + names.map(MetricHeading.heading))
        for run in runs {
            let label = by.isEmpty ? [run.name] : by.map { $0 == "run" ? run.name : run.specValue($0) }
            table.append(label + names.map { name in run.metric(name).map(format) ?? "–" })
        }
        return table
    }

    /// A metric value with the chosen decimals (text that is not a number is kept).
    func format(_ value: String) -> String {
        guard let number = Double(value) else { return value.isEmpty ? "–" : value }
        return String(format: "%.\(digits)f", number)
    }

    /// The tolerance `--check` uses by default: one unit in the last printed decimal.
    public var defaultTolerance: Double { pow(10, -Double(digits)) * 1.0001 }
}

extension ResultsTable {
    /// `--check FILE`: the differences between `table` and the table with the same header in the
    /// file (each prefixed with `FILE:LINE`); empty when the file is up to date.
    public static func check(_ table: Table, file: String, tolerance: Double) throws -> [String] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw PipelineError("cannot read \(file); name the Markdown file that holds the table, e.g. --check README.md")
        }
        return MarkdownTableCheck(expected: table, tolerance: tolerance).differences(in: text).map { "\(file):\($0.line): \($0.message)" }
    }
}

extension ResultsTable {
    /// Why published digits may differ: for each run whose numerics fingerprint differs from the
    /// first run's or from this machine's, the fields that differ (empty when they all agree).
    public static func fingerprintNotes(_ runs: [PublishedRun]) -> [String] {
        let current = NumericsFingerprint.current
        var notes: [String] = []
        let recorded = runs.compactMap { run in run.fingerprint.map { (run, $0) } }
        if let (firstRun, first) = recorded.first {
            for (run, fingerprint) in recorded.dropFirst() {
                let differences = fingerprint.differences(from: first).filter { !$0.hasPrefix("threads") }
                if !differences.isEmpty { notes.append("\(run.name) was computed with other numerics than \(firstRun.name): " + differences.joined(separator: "; ")) }
            }
        }
        for (run, fingerprint) in recorded {
            let differences = fingerprint.differences(from: current).filter { !$0.hasPrefix("threads") && !$0.hasPrefix("CPU") }
            if !differences.isEmpty { notes.append("\(run.name) was computed with other numerics than this machine's (the run's vs this machine's): " + differences.joined(separator: "; ")) }
        }
        let unrecorded = runs.filter { $0.fingerprint == nil }.map(\.name)
        if !unrecorded.isEmpty { notes.append("no numerics fingerprint recorded for \(unrecorded.joined(separator: ", ")) (made before SpeakerLab recorded one)") }
        return notes
    }
}
