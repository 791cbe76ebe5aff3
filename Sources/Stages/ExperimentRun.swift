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
        let plan = try ExperimentPlan(specPath: specPath, overrides: overrides)
        for id in force where !plan.graph.stages.contains(where: { $0.id == id }) {
            throw PipelineError("--force names '\(id)', which is not a stage of this plan; stages: \(plan.graph.stages.map(\.id).joined(separator: ", "))")
        }
        // --force on a stage recomputes it and everything after it.
        let forced = force.union(force.flatMap { plan.graph.dependents(of: $0) })
        let store = try ArtifactStore(root: locations.cache)
        let summary = StageRunner(store: store, jobs: jobs, keepGoing: keepGoing, force: forced).run(plan.graph)
        if summary.succeeded { try publish(plan, store: store, locations: locations) }
        return summary
    }

    /// The lines printed after a successful run: where the report is and the metrics table.
    public static func resultsText(specPath: String, overrides: [String], locations: Locations) throws -> String {
        let plan = try ExperimentPlan(specPath: specPath, overrides: overrides)
        let folder = locations.results.appendingPathComponent(plan.name)
        let metrics = try CSV.parse(try String(contentsOf: folder.appendingPathComponent("metrics.csv"), encoding: .utf8))
        return "report: \(folder.appendingPathComponent("report.md").path)\n\n" + metrics.aligned
    }

    /// One line per stage: cached or to run, with its key.
    public static func planText(specPath: String, overrides: [String], locations: Locations) throws -> String {
        let plan = try ExperimentPlan(specPath: specPath, overrides: overrides)
        let store = try ArtifactStore(root: locations.cache)
        return plan.graph.stages.map { stage in
            let key = plan.graph.keys[stage.id]!
            let state = store.isComplete(key) ? "cached" : "to run"
            return "\(state.padding(toLength: 8, withPad: " ", startingAt: 0)) \(stage.id.padding(toLength: 10, withPad: " ", startingAt: 0)) \(key.short)  ← \(stage.inputs.joined(separator: ", "))"
        }.joined(separator: "\n") + "\n"
    }

    /// Copies the report stage's files, the resolved spec and the environment into `Results/<name>/`.
    static func publish(_ plan: ExperimentPlan, store: ArtifactStore, locations: Locations, folderName: String? = nil) throws {
        let destination = locations.results.appendingPathComponent(folderName ?? plan.name)
        let report = store.entry(plan.graph.keys["report"]!)
        if let walker = FileManager.default.enumerator(at: report, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true && file.lastPathComponent != "manifest.json" {
                let relative = String(file.path.dropFirst(report.path.count + 1))
                try AtomicFile.write(try Data(contentsOf: file), to: destination.appendingPathComponent(relative).path)
            }
        }
        try AtomicFile.write(plan.spec.canonicalText + "\n", to: destination.appendingPathComponent("spec.json").path)
        let environment = EnvironmentRecord(threads: Parallel.threads)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(environment), to: destination.appendingPathComponent("environment.json").path)
    }
}
