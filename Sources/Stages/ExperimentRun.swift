import Foundation
import Pipeline
import Reports
import Spec
import Tensor

/// `speakerlab run` and `speakerlab plan`: run an experiment's stages through the cache and
/// publish what people read into `Results/<experiment>/`.
public enum ExperimentRun {
    /// Where the cache and the results live.
    public struct Locations: Sendable {
        /// `Results/`.
        public let results: URL
        public init(results: URL) { self.results = results }
        /// `Results/.cache/`.
        public var cache: URL { results.appendingPathComponent(".cache") }
    }

    /// Runs a spec; returns the summary (and publishes results when every stage completed).
    public static func run(specPath: String, overrides: [String], locations: Locations, jobs: Int, keepGoing: Bool, force: Set<String>) throws -> StageRunner.Summary {
        try run(specPath: specPath, overrides: overrides, locations: locations, execution: ExecutionOptions(jobs: jobs, keepGoing: keepGoing), force: force)
    }

    /// Runs a spec with the chosen executor (local threads or Slurm jobs).
    public static func run(specPath: String, overrides: [String], locations: Locations, execution: ExecutionOptions, force: Set<String>) throws -> StageRunner.Summary {
        try run(ExperimentPlan(specPath: specPath, overrides: overrides, cache: locations.cache), overrides: overrides, locations: locations, execution: execution, force: force)
    }

    /// Runs a plan; `overrides` are what a Slurm job applies to the plan's spec file to rebuild it.
    public static func run(_ plan: ExperimentPlan, overrides: [String], locations: Locations, execution: ExecutionOptions, force: Set<String>) throws -> StageRunner.Summary {
        let specPath = plan.specPath
        try execution.applyEngineSettings(spec: plan.spec)
        for id in force where !plan.graph.stages.contains(where: { $0.id == id }) {
            throw PipelineError("--force names '\(id)', which is not a stage of this plan; stages: \(plan.graph.stages.map(\.id).joined(separator: ", "))")
        }
        // --force on a stage recomputes it and everything after it.
        let forced = force.union(force.flatMap { plan.graph.dependents(of: $0) })
        let store = try ArtifactStore(root: locations.cache)
        let recipes = Dictionary(uniqueKeysWithValues: plan.graph.stages.map {
            ($0.id, ExecutionOptions.Recipe(spec: absolute(specPath), overrides: overrides, stage: $0.id, results: absolute(locations.results.path)))
        })
        let executor = try execution.executor(spec: plan.spec, recipes: recipes)
        // `gc` removes no entry this run reads or makes while it runs.
        let lease = try CacheLease(keys: Array(plan.graph.keys.values), root: locations.cache)
        defer { lease.release() }
        let summary = executor.run(plan.graph, store: store, force: forced)
        if summary.succeeded { try publish(plan, store: store, locations: locations, point: RunFolder.point(overrides: overrides)) }
        return summary
    }

    /// A path made absolute against the working folder (jobs may start elsewhere).
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The lines printed after a successful run: where the report is and the metrics table.
    public static func resultsText(_ plan: ExperimentPlan, overrides: [String] = [], locations: Locations) throws -> String {
        let folder = RunFolder(results: locations.results, experiment: plan.name, point: RunFolder.point(overrides: overrides)).url
        let metrics = try CSV.parse(try String(contentsOf: folder.appendingPathComponent("metrics.csv"), encoding: .utf8))
        // Which checkpoints were kept, also when every stage was cached and printed nothing.
        let selections = ExperimentReport.selections(spec: plan.spec, folder: folder).map { $0.sentence + "\n" }.joined()
        return "report: \(relativeToWorkingFolder(folder.appendingPathComponent("report.md").path))\n" + selections + "\n"
            + ExperimentReport.metricsTable(metrics).aligned
    }

    /// `speakerlab status`: every experiment in the results folder with its metrics, and how many
    /// of its stages are still in the cache.
    public static func statusText(locations: Locations) throws -> String {
        // Only reads: a results folder without a cache gets none.
        let store = FileManager.default.fileExists(atPath: locations.cache.path) ? try ArtifactStore(root: locations.cache) : nil
        var table = Table(header: ["experiment", "stages cached", "metrics"])
        for folder in experimentFolders(locations) {
            let relative = String(folder.path.dropFirst(locations.results.path.count + 1))
            let keys = referencedKeys(folder)
            let cached = keys.filter { store?.isComplete($0) ?? false }.count
            let metrics = (try? String(contentsOf: folder.appendingPathComponent("metrics.csv"), encoding: .utf8))
                .flatMap { try? CSV.parse($0) }
                .map { table in zip(table.header, table.rows.first ?? []).map { "\($0)=\($1)" }.joined(separator: " ") } ?? "-"
            table.append([relative, "\(cached)/\(keys.count)", metrics])
        }
        let experiments = table.rows.isEmpty ? "no experiments in \(locations.results.path)\n" : table.aligned
        return experiments + (store.map(slurmStatusText) ?? "")
    }

    /// The Slurm state of every stage submitted as a job: stage, key, job id, state, exit code.
    static func slurmStatusText(store: ArtifactStore) -> String {
        let root = store.root.appendingPathComponent("jobs")
        guard let folders = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return "" }
        var rows: [(stage: String, key: String, job: String, exit: String)] = []
        for name in folders.sorted() {
            let folder = root.appendingPathComponent(name)
            guard let job = (try? String(contentsOf: folder.appendingPathComponent("job_id"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) else { continue }
            let recipe = (try? Data(contentsOf: folder.appendingPathComponent("recipe.json"))).flatMap { try? JSONDecoder().decode(ExecutionOptions.Recipe.self, from: $0) }
            let exit = (try? String(contentsOf: folder.appendingPathComponent("exit_code"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "–"
            let stage = recipe.map { "\(URL(fileURLWithPath: $0.spec).deletingPathExtension().lastPathComponent) \($0.stage)" } ?? "?"
            rows.append((stage, name, job, exit))
        }
        guard !rows.isEmpty else { return "" }
        let client = SlurmClient()
        let queued = (try? client.queued(rows.map(\.job))) ?? [:]
        var table = Table(header: ["stage", "key", "slurm job", "state", "exit code", "cache"])
        for row in rows {
            let state: String
            if let live = queued[row.job] { state = live }
            else if let known = try? client.state(row.job) {
                switch known {
                case let .active(name): state = name
                case let .finished(name, _): state = name
                case .unknown: state = row.exit == "0" ? "done (purged)" : "lost"
                }
            } else { state = "?" }
            let complete = CacheKey(hex: row.key).map { store.isComplete($0) } ?? false
            table.append([row.stage, String(row.key.prefix(12)), row.job, state, row.exit, complete ? "complete" : "–"])
        }
        return "\nslurm jobs\n" + table.aligned
    }

    /// `speakerlab gc`: cache entries no experiment in the results folder refers to; removed only with
    /// `apply`. Entries a running experiment holds (`CacheLease`) are kept, and nothing is followed
    /// or removed through a symbolic link; a results folder without a cache is left as it is.
    public static func garbageCollect(locations: Locations, apply: Bool) throws -> String {
        let manager = FileManager.default
        guard manager.fileExists(atPath: locations.cache.path) else { return "no cache at \(locations.cache.path); nothing to remove\n" }
        let store = try ArtifactStore(root: locations.cache)
        return try CacheLease.withLiveKeys(root: store.root, exclusive: apply) { live in
            let referenced = Set(experimentFolders(locations).flatMap(referencedKeys))
            var unreferenced: [URL] = [], held = 0
            for prefix in (try? manager.contentsOfDirectory(atPath: store.root.path)) ?? [] where prefix.count == 2 {
                for entry in (try? manager.contentsOfDirectory(atPath: store.root.appendingPathComponent(prefix).path)) ?? [] {
                    guard let key = CacheKey(hex: entry), !referenced.contains(key) else { continue }
                    if live.contains(key) { held += 1; continue }
                    unreferenced.append(store.entry(key))
                }
            }
            // Temporary folders of killed runs, and entries set aside as damaged.
            let orphans = store.orphanedTemporaryFolders()
            let corrupt = ((try? manager.contentsOfDirectory(atPath: store.root.appendingPathComponent("corrupt").path)) ?? [])
                .sorted().map { store.root.appendingPathComponent("corrupt").appendingPathComponent($0) }
            let removable = (unreferenced + orphans + corrupt).filter { isInside($0, store.root) }
            var lines = removable.map { (apply ? "removed " : "would remove ") + $0.path }
            if apply { for entry in removable { try manager.removeItem(at: entry) } }
            if !orphans.isEmpty || !corrupt.isEmpty {
                lines.append("\(orphans.count) temporary folder(s) of killed runs, \(corrupt.count) damaged entr\(corrupt.count == 1 ? "y" : "ies") set aside")
            }
            if held > 0 { lines.append("\(held) unreferenced entr\(held == 1 ? "y" : "ies") kept: a running experiment holds \(held == 1 ? "it" : "them")") }
            lines.append("\(unreferenced.count) unreferenced cache entr\(unreferenced.count == 1 ? "y" : "ies")\(apply || unreferenced.isEmpty ? "" : "; run again with --apply to remove them")")
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Whether `item` lies inside `root` with no symbolic link on the way (the item itself may be one:
    /// removing a link removes the link, not what it points to).
    static func isInside(_ item: URL, _ root: URL) -> Bool {
        let rootPath = root.standardizedFileURL.path
        let parent = item.deletingLastPathComponent().standardizedFileURL
        guard parent.path == rootPath || parent.path.hasPrefix(rootPath + "/") else { return false }
        // The cache root itself may be a link (to a data disk); nothing below it may be.
        return parent.resolvingSymlinksInPath().path == root.resolvingSymlinksInPath().path + parent.path.dropFirst(rootPath.count)
    }

    /// Folders under the results folder that hold a published experiment (a `keys.json`).
    static func experimentFolders(_ locations: Locations) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: locations.results, includingPropertiesForKeys: nil,
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var folders: [URL] = []
        for case let file as URL in walker where file.lastPathComponent == "keys.json" { folders.append(file.deletingLastPathComponent()) }
        return folders.sorted { $0.path < $1.path }
    }

    static func referencedKeys(_ folder: URL) -> [CacheKey] {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("keys.json")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] else { return [] }
        return object.values.compactMap(CacheKey.init(hex:))
    }

    /// One line per stage: cached, or to run — and when the experiment was published before with
    /// another key, "stale" and the parameters (or inputs) that changed.
    public static func planText(specPath: String, overrides: [String], locations: Locations) throws -> String {
        try planText(ExperimentPlan(specPath: specPath, overrides: overrides, cache: locations.cache), overrides: overrides, locations: locations)
    }

    /// `planText` for a plan already made with these overrides (they name the folder it publishes to).
    public static func planText(_ plan: ExperimentPlan, overrides: [String] = [], sweep: Bool = false, locations: Locations) throws -> String {
        let store = try ArtifactStore(root: locations.cache)
        let published = RunFolder(results: locations.results, experiment: plan.name, point: RunFolder.point(overrides: overrides, sweep: sweep)).url
        let previousKeys = (try? Data(contentsOf: published.appendingPathComponent("keys.json")))
            .flatMap { try? JSONDecoder().decode([String: String].self, from: $0) } ?? [:]
        let previousParameters = (try? Data(contentsOf: published.appendingPathComponent("stages.json")))
            .flatMap { try? JSONDecoder().decode(CanonicalValue.self, from: $0) }
        var changedStages: Set<String> = []
        return plan.graph.stages.map { stage in
            let key = plan.graph.keys[stage.id]!
            var state = store.isComplete(key) ? "cached" : "to run"
            var reason = ""
            if let previous = previousKeys[stage.id], previous != key.hex {
                changedStages.insert(stage.id)
                state = store.isComplete(key) ? "cached" : "stale"
                var changed = previousParameters?[stage.id].map { differences($0, stage.parameters, path: "").map(SpecKeyNames.specKey) } ?? []
                let inputs = stage.inputs.filter { changedStages.contains($0) }
                var corpus: String? = nil
                if changed.contains(where: { $0.hasPrefix("corpus") }), let current = plan.corpus {
                    // Name what changed in the corpus, from the listing the earlier entry recorded.
                    let earlier = CacheKey(hex: previous).flatMap { try? String(contentsOf: store.entry($0).appendingPathComponent(PrepareStage.listingFile), encoding: .utf8) }
                    corpus = "corpus changed: " + (earlier.map { current.changes(since: FileListing(csv: $0)) } ?? "\(current.entries.count) files now")
                    changed.removeAll { $0.hasPrefix("corpus") }
                }
                let parts = [corpus].compactMap { $0 } + (changed.isEmpty ? [] : ["changed: " + changed.joined(separator: ", ")])
                reason = !parts.isEmpty ? parts.joined(separator: "; ") : (inputs.isEmpty ? "code or model changed" : "input \(inputs.joined(separator: ", ")) changed")
            }
            return "\(state.padding(toLength: 8, withPad: " ", startingAt: 0)) \(stage.id.padding(toLength: 10, withPad: " ", startingAt: 0)) \(key.short)  ← \(stage.inputs.joined(separator: ", "))" + (reason.isEmpty ? "" : "  (\(reason))")
        }.joined(separator: "\n") + "\npublishes to \(relativeToWorkingFolder(published.path))\n"
    }

    /// A path relative to the working folder when it is below it, as the user would name it.
    static func relativeToWorkingFolder(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
    }

    /// Dotted paths whose values differ between two canonical values.
    static func differences(_ old: CanonicalValue, _ new: CanonicalValue, path: String) -> [String] {
        if case let .object(a) = old, case let .object(b) = new {
            return Set(a.keys).union(b.keys).sorted().flatMap { key -> [String] in
                let child = path.isEmpty ? key : "\(path).\(key)"
                guard let x = a[key], let y = b[key] else { return [child] }
                return differences(x, y, path: child)
            }
        }
        return old.canonicalText == new.canonicalText ? [] : [path]
    }

    /// Copies the report stage's files, the resolved spec and the environment into the run's
    /// folder (`RunFolder`): `Results/<name>/`, or `Results/<name>/<point>/` for a spec with
    /// overrides or a sweep point. The folder is replaced as a whole: what this run does not make
    /// is removed (but the point folders below a base run, and the experiment's summaries).
    static func publish(_ plan: ExperimentPlan, store: ArtifactStore, locations: Locations, point: RunFolder.Point? = nil) throws {
        let folder = RunFolder(results: locations.results, experiment: plan.name, point: point)
        let destination = folder.url
        // Every write stays inside the results folder (names are checked at plan time; this guards the rest).
        let root = locations.results.standardizedFileURL.path, target = destination.standardizedFileURL.path
        guard target.hasPrefix(root + "/"), !target.dropFirst(root.count + 1).hasPrefix(".cache") else {
            throw PipelineError("refusing to publish to \(target): it is not a folder inside \(root)")
        }
        try folder.checkIdentity(spec: plan.spec.canonical)
        var written: Set<String> = []
        func write(_ data: Data, _ relative: String) throws {
            try AtomicFile.write(data, to: destination.appendingPathComponent(relative).path)
            written.insert(relative)
        }
        let report = store.entry(plan.graph.keys["report"]!)
        if let walker = FileManager.default.enumerator(at: report, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true && !["manifest.json", StageRecord.fileName].contains(file.lastPathComponent) {
                try write(try Data(contentsOf: file), String(file.path.dropFirst(report.path.count + 1)))
            }
        }
        try write(Data((plan.spec.canonical.canonicalText + "\n").utf8), "spec.json")
        // The cache entries this result was made from: what `speakerlab gc` keeps.
        let keys = CanonicalValue.object(plan.graph.keys.mapValues { .string($0.hex) })
        try write(Data((keys.canonicalText + "\n").utf8), "keys.json")
        // Each stage's parameters, so `plan` can say which one changed when a stage goes stale.
        let parameters = CanonicalValue.object(Dictionary(uniqueKeysWithValues: plan.graph.stages.map { ($0.id, $0.parameters) }))
        try write(Data((parameters.canonicalText + "\n").utf8), "stages.json")
        if let point { try write(try point.encoded(), RunFolder.pointFile) }
        // The weights and scoring statistics, so the run is usable from its folder alone.
        for (name, data) in try PublishedScoring.files(run: destination, cache: store.root) { try write(data, name) }
        let environment = EnvironmentRecord(threads: Parallel.threads)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(try encoder.encode(environment), "environment.json")
        try write(Data(ExperimentReport(plan: plan, store: store, environment: environment, folder: destination).markdown.utf8), "report.md")
        try folder.removeStale(keeping: written)
        try folder.writeSummary()
    }
}
