import Foundation
import Pipeline
import Reports
import Spec

/// A sweep: one experiment run at several points of its parameter space. `--set key=a,b,c`
/// makes a grid axis (every combination of the axes is a point); `--zip key=a,b` lists advance
/// together as one axis. Points are named from their changed values (`lr=0.001,margin=0.2`).
public struct Sweep: Sendable {
    /// One point: its name (from the changed values) and its overrides.
    public struct Point: Sendable, Equatable {
        public let name: String
        public let overrides: [String]
        public let values: [(key: String, value: String)]

        public static func == (lhs: Point, rhs: Point) -> Bool { lhs.name == rhs.name && lhs.overrides == rhs.overrides }
    }

    /// The fixed overrides (single values).
    public let fixed: [String]
    /// The points, in grid order.
    public let points: [Point]

    /// The points of a spec's `sweep:` block and the command line: `--set key=a,b` is a grid
    /// axis (commas inside quotes, brackets or braces do not split), `--zip key=a,b` lists advance
    /// together as one axis. `run` and `plan` both build their points here.
    public init(source: SpecSource? = nil, overrides: [String], zip: [String] = []) throws {
        let (fixed, axes) = SweepAxis.split(overrides)
        let zipped = try zip.map { entry -> SweepAxis in
            guard let axis = SweepAxis.parse(entry) else { throw PipelineError("--zip '\(entry)' must look like key=a,b") }
            return axis
        }
        try self.init(fixed: fixed, grid: (source?.grid ?? []) + axes, zip: (source?.zip ?? []) + zipped)
    }

    /// The most points one sweep may have (each is planned, and its folder published).
    public static let maximumPoints = 10_000

    /// The points of grid axes (every combination) and zip axes (advancing together, one axis).
    public init(fixed: [String], grid: [SweepAxis], zip: [SweepAxis]) throws {
        var axes: [[[(key: String, value: String)]]] = grid.map { axis in axis.values.map { [(axis.key, $0)] } }
        if let length = zip.first?.values.count {
            guard zip.allSatisfy({ $0.values.count == length }) else {
                throw PipelineError("zipped sweep lists (--zip, or the spec's sweep.zip) must have the same length; got \(zip.map { "\($0.key): \($0.values.count)" }.joined(separator: ", ")); give each key as many values")
            }
            axes.append((0..<length).map { index in zip.map { ($0.key, $0.values[index]) } })
        }
        // The grid's size is the product of its axes' lengths: checked before it is built.
        let size = axes.reduce(1.0) { $0 * Double($1.count) }
        guard size <= Double(Self.maximumPoints) else {
            throw PipelineError("the sweep has \(axes.map { String($0.count) }.joined(separator: " × ")) = \(Int(min(size, 1e18))) points, more than the \(Self.maximumPoints) one sweep may have; split it into several sweeps or zip axes that advance together (--zip)")
        }
        var combinations: [[(key: String, value: String)]] = [[]]
        for axis in axes { combinations = combinations.flatMap { prefix in axis.map { prefix + $0 } } }
        // The fixed overrides name every point too: a point's folder identifies its resolved spec.
        let fixedValues = fixed.map { override -> (key: String, value: String) in
            if override.hasPrefix("~") { return (String(override.dropFirst()), "null") }
            guard let equals = override.firstIndex(of: "=") else { return (override, "") }
            return (String(override[..<equals]), String(override[override.index(after: equals)...]))
        }
        points = combinations.map { values in
            let name = Self.pointName((fixedValues + values).filter { RunFolder.namesPoint($0.key) })
            return Point(name: name.isEmpty ? "base" : name, overrides: values.map { "\($0.key)=\($0.value)" }, values: values)
        }
        var seen: [String: Int] = [:]
        for (index, point) in points.enumerated() {
            if let first = seen[point.name] {
                throw PipelineError("the sweep has the point \(point.name) twice (points \(first + 1) and \(index + 1) of \(points.count)); remove the repeated value")
            }
            seen[point.name] = index
        }
        self.fixed = fixed
    }

    /// The folder name of a point: `key=value` for each changed key, joined by commas, each key by
    /// its last component (`lr=0.001`), or its whole dotted path when another changed key ends the
    /// same way (`pretrain.optimizer.lr=0.01,finetune.optimizer.lr=0.001`). A mapping value names
    /// its keys (`optimizer=kind=adam`). A name that had to be cleaned (characters outside
    /// letters, digits and `.,=_+-`) or shortened ends in `-` and 8 hex digits of the exact text,
    /// so two different points never share a folder.
    static func pointName(_ values: [(key: String, value: String)]) -> String {
        let lastParts = values.map { String($0.key.split(separator: ".").last ?? "") }
        let text = zip(values, lastParts).map { value, last in
            let key = lastParts.filter { $0 == last }.count > 1 ? value.key : last
            let cleaned = value.value.filter { !"{}[] \"'".contains($0) }.replacingOccurrences(of: ":", with: "=")
            return "\(key)=\(cleaned)"
        }.joined(separator: ",")
        let safe = folderName(text)
        guard safe != text || safe.count > 120 else { return safe }
        let exact = values.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        return String(safe.prefix(100)) + "-" + String(SHA256Digest.hex(of: Array(exact.utf8)).prefix(8))
    }

    /// A point's name as one safe folder name: characters other than letters, digits and
    /// `.,=_+-` become `_` (a value such as `../x` or `a/b` must not name a path).
    static func folderName(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,=_+-")
        let cleaned = String(name.map { allowed.contains($0) ? $0 : "_" })
        return cleaned.hasPrefix(".") ? "_" + cleaned.dropFirst() : cleaned
    }

    /// Rows that differ only in `seed`, aggregated: each metric as `mean ± std` (population std)
    /// over the seeds, with the seed count. Nil when `seed` is not a swept key.
    /// The table's columns are `point`, then `parameterCount` swept keys, then the metrics.
    static func aggregateOverSeeds(_ table: Table, parameterCount: Int) -> Table? {
        guard let seedColumn = table.header.firstIndex(of: "seed"), seedColumn <= parameterCount else { return nil }
        let parameterColumns = (1...parameterCount).filter { $0 != seedColumn }
        // Interval bounds stay per seed in summary.csv; across seeds each metric shows its mean ±
        // standard deviation beside the range of the seeds' values.
        let names = Set(table.header)
        let metricColumns = Array((parameterCount + 1)..<table.header.count).filter { !ResultsTable.isBound(table.header[$0], among: names) }
        var groups: [[String]: [[String]]] = [:]
        var order: [[String]] = []
        for row in table.rows {
            let key = parameterColumns.map { row[$0] }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(row)
        }
        var result = Table(header: parameterColumns.map { table.header[$0] } + ["seeds"] + metricColumns.flatMap { [table.header[$0], table.header[$0] + "_seed_range"] })
        for key in order {
            let rows = groups[key]!
            let cells = metricColumns.flatMap { column -> [String] in
                let values = rows.compactMap { Double($0[column]) }
                guard !values.isEmpty else { return ["", ""] }
                let mean = values.reduce(0, +) / Double(values.count)
                let deviation = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
                return [String(format: "%.6g ± %.2g", mean, deviation), String(format: "[%.6g, %.6g]", values.min()!, values.max()!)]
            }
            result.append(key + [String(rows.count)] + cells)
        }
        return result
    }

    /// Whether there is more than one point.
    public var isSweep: Bool { points.count > 1 }

    /// Runs every point in one stage graph (stages shared by several points run once), publishes
    /// each point to `Results/<name>/<point>/` and rewrites `Results/<name>/summary.csv` (`RunFolder`).
    public func run(specPath: String, locations: ExperimentRun.Locations, jobs: Int, keepGoing: Bool) throws -> StageRunner.Summary {
        try run(source: try SpecSource(path: specPath), locations: locations, execution: ExecutionOptions(jobs: jobs, keepGoing: keepGoing))
    }

    /// The plan of every point.
    public func plans(source: SpecSource, cache: URL?) throws -> [(Point, ExperimentPlan)] {
        try points.map { point in (point, try ExperimentPlan(source: source, overrides: fixed + point.overrides, cache: cache)) }
    }

    /// Runs every point with the chosen executor; on Slurm each stage kind shared by several points is one job array.
    public func run(source: SpecSource, locations: ExperimentRun.Locations, execution: ExecutionOptions) throws -> StageRunner.Summary {
        let specPath = source.path
        let plans = try plans(source: source, cache: locations.cache)
        // The engine settings are the process's: one numerics mode for every point.
        let modes = Set(plans.map { $0.1.spec.execution.numerics.rawValue })
        guard modes.count <= 1 else { throw PipelineError("execution.numerics cannot be swept (the points ask for \(modes.sorted().joined(separator: " and "))); run each mode as its own sweep") }
        if let first = plans.first { try execution.applyEngineSettings(spec: first.1.spec) }
        // A stage several points share (same key) is listed once, under its first point's name.
        var firstName: [CacheKey: String] = [:]
        for (point, plan) in plans {
            for stage in plan.graph.stages where firstName[plan.graph.keys[stage.id]!] == nil {
                firstName[plan.graph.keys[stage.id]!] = "\(point.name)/\(stage.id)"
            }
        }
        let names = firstName
        var stages: [Stage] = []
        var listed: Set<CacheKey> = []
        var recipes: [String: ExecutionOptions.Recipe] = [:]
        for (point, plan) in plans {
            for stage in plan.graph.stages where listed.insert(plan.graph.keys[stage.id]!).inserted {
                recipes[names[plan.graph.keys[stage.id]!]!] = ExecutionOptions.Recipe(spec: ExperimentRun.absolute(specPath), overrides: fixed + point.overrides,
                                                                                     stage: stage.id, results: ExperimentRun.absolute(locations.results.path))
                let inputNames = Dictionary(uniqueKeysWithValues: stage.inputs.map { ($0, names[plan.graph.keys[$0]!]!) })
                stages.append(stage.renamed(to: names[plan.graph.keys[stage.id]!]!, inputs: inputNames))
            }
        }
        let graph = try StageGraph(stages)
        let store = try ArtifactStore(root: locations.cache)
        let executor = try execution.executor(spec: plans[0].1.spec, recipes: recipes)
        // `gc` removes no entry this sweep reads or makes while it runs.
        let lease = try CacheLease(keys: plans.flatMap { Array($0.1.graph.keys.values) }, root: locations.cache)
        defer { lease.release() }
        let summary = executor.run(graph, store: store, force: [])
        for (point, plan) in plans where store.isComplete(plan.graph.keys["report"]!) {
            try ExperimentRun.publish(plan, store: store, locations: locations, point: RunFolder.point(overrides: fixed + point.overrides, sweep: isSweep))
        }
        return summary
    }
}
