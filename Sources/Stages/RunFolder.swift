import Foundation
import Pipeline
import Reports

/// Where a run is published, one scheme for `run`, sweeps and overrides, so a reader can say
/// where a command writes before running it:
/// - the spec as written: `Results/<name>/`;
/// - with `--set` overrides or as a sweep point: `Results/<name>/<point>/`, the point named from
///   every override (`Sweep.pointName`: `steps=10`, `lr=0.001,margin=0.2`), but `name` and the
///   execution settings, which change no result;
/// - a single run given `--set name=N`: `Results/N/`, the folder the user named;
/// - `Results/<name>/summary.csv`: one row for every run ever published under the name (the
///   base run and each point), its changed keys and its metrics.
/// A folder belongs to one resolved spec: publishing over a point of other overrides is refused,
/// and replacing a run of an edited spec says what changed.
public struct RunFolder {
    /// A sweep point or a run with overrides: its folder name and the overrides that made it.
    public struct Point: Codable, Equatable, Sendable {
        /// The folder name.
        public let name: String
        /// The overrides, exactly as given (`finetune.steps=10`, `~calibrate`).
        public let overrides: [String]

        /// Creates a point.
        public init(name: String, overrides: [String]) {
            self.name = name
            self.overrides = overrides
        }

        /// The changed keys and their values, in the order given (a removed key's value is `null`).
        var values: [(key: String, value: String)] {
            overrides.map { override in
                if override.hasPrefix("~") { return (String(override.dropFirst()), "null") }
                guard let equals = override.firstIndex(of: "=") else { return (override, "") }
                return (String(override[..<equals]), String(override[override.index(after: equals)...]))
            }
        }

        /// `point.json`'s bytes.
        func encoded() throws -> Data {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return try encoder.encode(self) + Data("\n".utf8)
        }
    }

    /// The file in a point's folder that records its overrides.
    static let pointFile = "point.json"
    /// The accumulated summary of every run under an experiment's name.
    static let summaryFile = "summary.csv"
    /// The summary's metrics as mean ± std over seeds, when `seed` is a changed key.
    static let seedSummaryFile = "summary_over_seeds.csv"

    /// The results folder.
    let results: URL
    /// The experiment's name.
    let experiment: String
    /// The point (nil: the spec as written).
    let point: Point?

    /// The point of a run with overrides (nil without any that name a point). A single run whose
    /// overrides give `name` is named by the user: it publishes to `Results/<name>/` itself.
    public static func point(overrides: [String], sweep: Bool = false) -> Point? {
        if !sweep, overrides.contains(where: { $0.hasPrefix("name=") }) { return nil }
        let naming = overrides.filter { namesPoint(Point(name: "", overrides: [$0]).values[0].key) }
        guard !naming.isEmpty else { return nil }
        return Point(name: Sweep.pointName(Point(name: "", overrides: naming).values), overrides: naming)
    }

    /// Whether an overridden key names a point: `name` names the experiment's folder itself, and
    /// the execution settings (threads, executor, Slurm options) change no result, so neither
    /// makes a point; `execution.numerics` does (fast mode may change the bytes).
    public static func namesPoint(_ key: String) -> Bool {
        key != "name" && (!key.hasPrefix("execution.") || key == "execution.numerics") && key != "execution"
    }

    /// `Results/<name>/`.
    var experimentFolder: URL { results.appendingPathComponent(experiment) }
    /// Where this run is published.
    public var url: URL { point.map { experimentFolder.appendingPathComponent($0.name) } ?? experimentFolder }

    /// Refuses to publish over a point made by other overrides (a name collision), and says so
    /// when a run of the same name and overrides but another resolved spec (an edited spec file) is replaced.
    func checkIdentity(spec: CanonicalValue) throws {
        let folder = url
        if let point, let data = try? Data(contentsOf: folder.appendingPathComponent(Self.pointFile)),
           let existing = try? JSONDecoder().decode(Point.self, from: data), existing.overrides != point.overrides {
            throw PipelineError("\(folder.path) holds the run of the overrides \(existing.overrides.joined(separator: " ")), not \(point.overrides.joined(separator: " ")); move it away or give the experiment another name")
        }
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("spec.json")),
              let previous = try? JSONDecoder().decode(CanonicalValue.self, from: data), previous.canonicalText != spec.canonicalText else { return }
        let changed = ExperimentRun.differences(previous, spec, path: "")
        FileHandle.standardError.write(Data("note: replacing \(folder.path), published from another version of the spec (changed: \(changed.joined(separator: ", ")))\n".utf8))
    }

    /// Removes what an earlier publication left and this one did not write, keeping the runs below
    /// (point folders) and the experiment's summaries.
    func removeStale(keeping written: Set<String>) throws {
        let root = url.standardizedFileURL
        let manager = FileManager.default
        guard let walker = manager.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey, .isSymbolicLinkKey]) else { return }
        var folders: [URL] = []
        for case let item as URL in walker {
            let relative = String(item.standardizedFileURL.path.dropFirst(root.path.count + 1))
            let values = try item.resourceValues(forKeys: [.isDirectoryKey, .isSymbolicLinkKey])
            if values.isDirectory == true, values.isSymbolicLink != true {
                // Another run's folder (a point below the base run) is not this run's to clean.
                if manager.fileExists(atPath: item.appendingPathComponent("keys.json").path) || manager.fileExists(atPath: item.appendingPathComponent(Self.pointFile).path) {
                    walker.skipDescendants()
                } else {
                    folders.append(item)
                }
                continue
            }
            if written.contains(relative) || (point == nil && [Self.summaryFile, Self.seedSummaryFile].contains(relative)) { continue }
            try manager.removeItem(at: item)
        }
        // Folders left empty, deepest first.
        for folder in folders.sorted(by: { $0.path.count > $1.path.count }) where ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? ["?"]).isEmpty {
            try manager.removeItem(at: folder)
        }
    }

    /// Rewrites `Results/<name>/summary.csv` from every run published under the name: the base run
    /// (point `base`) and each point folder, one row each, with the changed keys and the metrics.
    /// Written only when there is a point; `summary_over_seeds.csv` when `seed` is a changed key.
    func writeSummary() throws {
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: experimentFolder.path)) ?? []).sorted()
        var runs: [(point: Point?, metrics: Table)] = []
        func metrics(_ folder: URL) -> Table? {
            (try? String(contentsOf: folder.appendingPathComponent("metrics.csv"), encoding: .utf8)).flatMap { try? CSV.parse($0) }
        }
        if let base = metrics(experimentFolder) { runs.append((nil, base)) }
        for name in names {
            let folder = experimentFolder.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(Self.pointFile)),
                  let point = try? JSONDecoder().decode(Point.self, from: data), let table = metrics(folder) else { continue }
            runs.append((point, table))
        }
        guard runs.contains(where: { $0.point != nil }) else { return }
        var keys: [String] = [], metricNames: [String] = []
        for run in runs {
            for (key, _) in run.point?.values ?? [] where !keys.contains(key) { keys.append(key) }
            for name in run.metrics.header where !metricNames.contains(name) { metricNames.append(name) }
        }
        var table = Table(header: ["point"] + keys + metricNames)
        for run in runs {
            let values = Dictionary(run.point?.values ?? [], uniquingKeysWith: { _, last in last })
            let row = Dictionary(zip(run.metrics.header, run.metrics.rows.first ?? []), uniquingKeysWith: { first, _ in first })
            table.append([run.point?.name ?? "base"] + keys.map { values[$0] ?? "" } + metricNames.map { row[$0] ?? "" })
        }
        try AtomicFile.write(table.csv, to: experimentFolder.appendingPathComponent(Self.summaryFile).path)
        if let seeds = Sweep.aggregateOverSeeds(table, parameterCount: keys.count) {
            try AtomicFile.write(seeds.csv, to: experimentFolder.appendingPathComponent(Self.seedSummaryFile).path)
        }
    }
}
