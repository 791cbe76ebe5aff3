import Foundation
import Pipeline
import Reports

/// `speakerlab runs`: every published run under a results folder, one row each, as `dvc exp show`
/// gives experiments: the run's folder, chosen spec keys, and metrics with their 95 % intervals,
/// compact enough for an 80–120 column terminal, or every value as CSV.
public struct RunList {
    /// Spec keys shown as columns (`model`, `pretrain.epochs`, `finetune.select`).
    public var parameters: [String]
    /// Metrics shown as columns; those no run has are left out.
    public var metrics: [String]

    /// The columns when none are asked for.
    public static let defaultParameters: [String] = []
    /// The metrics when none are asked for.
    public static let defaultMetrics = ["eer", "min_dcf_p0.01", "si_top1"]

    /// Creates a listing.
    public init(parameters: [String] = RunList.defaultParameters, metrics: [String] = RunList.defaultMetrics) {
        self.parameters = parameters
        self.metrics = metrics
    }

    /// The runs under `folder` (every folder below it with a `metrics.csv`), sorted by path.
    public static func runs(under folder: String) throws -> [PublishedRun] {
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        var found: [URL] = []
        if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]) {
            for case let file as URL in walker where file.lastPathComponent == "metrics.csv" { found.append(file.deletingLastPathComponent().standardizedFileURL) }
        }
        guard !found.isEmpty else { throw PipelineError("no published runs under \(folder): a run folder holds metrics.csv (run `speakerlab run SPEC` first)") }
        return try found.sorted { $0.path < $1.path }.map { run in
            try PublishedRun(folder: run, name: run == root ? root.lastPathComponent : String(run.path.dropFirst(root.path.count + 1)))
        }
    }

    /// The metrics of `metrics` that at least one run has.
    func shownMetrics(_ runs: [PublishedRun]) -> [String] {
        metrics.filter { name in runs.contains { $0.metric(name) != nil } }
    }

    /// The table for a terminal: values to 3 significant digits, intervals as `[lo, hi]`; a run that
    /// chose its checkpoint on the test speakers is marked.
    public func table(_ runs: [PublishedRun]) -> Table {
        let shown = shownMetrics(runs)
        var table = Table(header: ["run"] + parameters + shown.map(MetricHeading.short))
        for run in runs {
            let cells = shown.map { name -> String in
                guard let value = run.metric(name).flatMap(Double.init) else { return "–" }
                guard let lower = run.metric(name + "_lo").flatMap(Double.init), let upper = run.metric(name + "_hi").flatMap(Double.init) else { return Self.compact(value) }
                return "\(Self.compact(value)) [\(Self.compact(lower)), \(Self.compact(upper))]"
            }
            table.append([run.name + (run.selectedOnTestSpeakers ? " " + PublishedRun.testSelectionMark : "")] + parameters.map(run.specValue) + cells)
        }
        return table
    }

    /// Every value in full, each metric followed by its bounds, for a spreadsheet.
    public func csv(_ runs: [PublishedRun]) -> Table {
        let shown = shownMetrics(runs)
        var table = Table(header: ["run", "selected_on_test_speakers"] + parameters + shown.flatMap { [$0, $0 + "_lo", $0 + "_hi"] })
        for run in runs {
            table.append([run.name, run.selectedOnTestSpeakers ? "true" : "false"] + parameters.map(run.specValue)
                         + shown.flatMap { [run.metric($0) ?? "", run.metric($0 + "_lo") ?? "", run.metric($0 + "_hi") ?? ""] })
        }
        return table
    }

    /// A value to three significant digits, without exponent for ordinary magnitudes.
    static func compact(_ value: Double) -> String {
        value == 0 || value == 1 ? String(Int(value)) : String(format: "%.3g", value)
    }
}
