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
    /// How a metric's 95 % confidence interval is shown (when the run has one).
    public var intervals = IntervalStyle.interval

    /// How intervals appear in a table.
    public enum IntervalStyle: String, CaseIterable, Sendable {
        /// The value alone.
        case none
        /// `0.0387 [0.0210, 0.0580]`.
        case interval
        /// `0.0387 ± 0.0185` (half the interval's width).
        case plusminus
    }

    /// Creates a table description.
    public init(metrics: [String] = [], by: [String] = [], digits: Int = 4, intervals: IntervalStyle = .interval) {
        self.metrics = metrics
        self.by = by
        self.digits = digits
        self.intervals = intervals
    }

    /// Whether a metrics.csv column is an interval bound (`eer_lo`, `eer_hi`) of another column.
    static func isBound(_ name: String, among names: Set<String>) -> Bool {
        (name.hasSuffix("_lo") || name.hasSuffix("_hi")) && names.contains(String(name.dropLast(3)))
    }

    /// The table of the given runs.
    public func table(_ runs: [PublishedRun]) throws -> Table {
        let names = try metricNames(runs)
        if !metrics.isEmpty {
            let known = Set(runs.flatMap { $0.metrics.map(\.name) })
            for name in names where !known.contains(name) {
                throw PipelineError("no run has the metric '\(name)'; the runs have: \(known.sorted().joined(separator: ", "))")
            }
        }
        let labels = by.isEmpty ? ["run"] : by
        // A label no run's spec has is a typo, not a column of dashes.
        for key in by where key != "run" && key != "model" && !runs.isEmpty && runs.allSatisfy({ $0.specValue(key) == "–" }) {
            throw PipelineError("--by '\(key)': no run's spec has this key; use run, model or a spec key such as finetune.optimizer.lr (`speakerlab spec reference` lists them)")
        }
        var table = Table(header: labels + names.map(MetricHeading.heading))
        for run in runs {
            var label = by.isEmpty ? [run.name] : by.map { $0 == "run" ? run.name : run.specValue($0) }
            if run.selectedOnTestSpeakers { label[0] += " " + PublishedRun.testSelectionMark }
            table.append(label + names.map { name in cell(run, name) })
        }
        return table
    }

    /// A metric's cell: its value, with its interval in the chosen style when the run has one.
    func cell(_ run: PublishedRun, _ name: String) -> String {
        guard let value = run.metric(name) else { return "–" }
        guard intervals != .none, let lower = run.metric(name + "_lo").flatMap(Double.init), let upper = run.metric(name + "_hi").flatMap(Double.init) else {
            return format(value)
        }
        switch intervals {
        case .none: return format(value)
        case .interval: return "\(format(value)) [\(format(String(lower))), \(format(String(upper)))]"
        case .plusminus: return "\(format(value)) ± \(format(String((upper - lower) / 2)))"
        }
    }

    /// The table as CSV rows: each metric with an interval followed by its `_lo` and `_hi` columns.
    public func csvTable(_ runs: [PublishedRun]) throws -> Table {
        let plain = ResultsTable(metrics: metrics, by: by, digits: digits, intervals: .none)
        let base = try plain.table(runs)
        let labels = by.isEmpty ? 1 : by.count
        let names = Array(base.header.dropFirst(labels)), keys = try plain.metricNames(runs)
        var header = Array(base.header.prefix(labels))
        for (heading, key) in zip(names, keys) {
            header.append(heading)
            if runs.contains(where: { $0.metric(key + "_lo") != nil }) { header += [heading + "_lo", heading + "_hi"] }
        }
        var table = Table(header: header)
        for (run, row) in zip(runs, base.rows) {
            var cells = Array(row.prefix(labels))
            for (offset, key) in keys.enumerated() {
                cells.append(row[labels + offset])
                if runs.contains(where: { $0.metric(key + "_lo") != nil }) {
                    cells += [run.metric(key + "_lo").map(format) ?? "", run.metric(key + "_hi").map(format) ?? ""]
                }
            }
            table.append(cells)
        }
        return table
    }

    /// The metric names the table shows, in order.
    func metricNames(_ runs: [PublishedRun]) throws -> [String] {
        if !metrics.isEmpty { return metrics }
        var names: [String] = []
        for run in runs {
            let columns = Set(run.metrics.map(\.name))
            for metric in run.metrics where !names.contains(metric.name) && !Self.isBound(metric.name, among: columns) { names.append(metric.name) }
        }
        return names
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
    public static func check(_ table: Table, file: String, tolerance: Double, withinIntervals: Bool = false) throws -> [String] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw PipelineError("cannot read \(file); name the Markdown file that holds the table, e.g. --check README.md")
        }
        return MarkdownTableCheck(expected: table, tolerance: tolerance, withinIntervals: withinIntervals).differences(in: text).map { "\(file):\($0.line): \($0.message)" }
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
