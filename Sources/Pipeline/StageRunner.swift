import Foundation

/// Runs a stage graph: cached stages are skipped, independent stages run in parallel up to
/// `jobs`, a failed stage stops its dependents (and, without `keepGoing`, every stage not yet
/// started). Each stage runs under its key's lock, so concurrent runners compute it once.
public struct StageRunner: Sendable {
    /// What happened to one stage.
    public enum Outcome: Equatable, Sendable {
        case ran
        case cached
        case failed(String)
        case skipped(because: String)
    }

    /// The end of a run, stage by stage.
    public struct Summary: Sendable {
        /// Each stage's outcome, by id.
        public let outcomes: [String: Outcome]
        /// Stage ids in the graph's order.
        public let order: [String]

        /// Whether every stage ran or was cached.
        public var succeeded: Bool { outcomes.values.allSatisfy { $0 == .ran || $0 == .cached } }

        /// One line per stage and a count line, for the end of `speakerlab run`.
        public var text: String {
            var lines = order.map { id -> String in
                switch outcomes[id]! {
                case .ran: return "ran      \(id)"
                case .cached: return "cached   \(id)"
                case let .failed(reason): return "FAILED   \(id): \(reason)"
                case let .skipped(reason): return "skipped  \(id) (\(reason))"
                }
            }
            let count = { (outcome: (Outcome) -> Bool) in self.outcomes.values.filter(outcome).count }
            lines.append("\(count { $0 == .ran }) ran, \(count { $0 == .cached }) cached, \(count { if case .failed = $0 { return true }; return false }) failed, \(count { if case .skipped = $0 { return true }; return false }) skipped")
            return lines.joined(separator: "\n") + "\n"
        }
    }

    public let store: ArtifactStore
    public let jobs: Int
    public let keepGoing: Bool
    /// Stage ids to recompute even when cached.
    public let force: Set<String>

    public init(store: ArtifactStore, jobs: Int = 1, keepGoing: Bool = false, force: Set<String> = []) {
        self.store = store
        self.jobs = max(1, jobs)
        self.keepGoing = keepGoing
        self.force = force
    }

    /// Runs every stage of the graph.
    public func run(_ graph: StageGraph) -> Summary {
        /// The scheduler's shared state; every access holds `lock`.
        final class Shared: @unchecked Sendable {
            var outcomes: [String: Outcome] = [:]
            var running = 0
            var stop = false
        }
        let lock = NSCondition()
        let shared = Shared()
        var started: Set<String> = []
        let group = DispatchGroup()
        let queue = DispatchQueue(label: "speakerlab.stages", attributes: .concurrent)

        lock.lock()
        while shared.outcomes.count < graph.stages.count {
            var progressed = false
            for stage in graph.stages where !started.contains(stage.id) {
                let inputOutcomes = stage.inputs.map { shared.outcomes[$0] }
                if let broken = stage.inputs.first(where: { id in
                    switch shared.outcomes[id] { case .failed?, .skipped?: return true; default: return false }
                }) {
                    started.insert(stage.id)
                    shared.outcomes[stage.id] = .skipped(because: "input '\(broken)' did not complete")
                    progressed = true
                    continue
                }
                if shared.stop {
                    started.insert(stage.id)
                    shared.outcomes[stage.id] = .skipped(because: "an earlier stage failed; use --keep-going to run independent stages")
                    progressed = true
                    continue
                }
                guard inputOutcomes.allSatisfy({ $0 == .ran || $0 == .cached }), shared.running < jobs else { continue }
                started.insert(stage.id)
                shared.running += 1
                progressed = true
                group.enter()
                queue.async {
                    let outcome = execute(stage, key: graph.keys[stage.id]!, inputs: stage.inputs.map { ($0, graph.keys[$0]!) })
                    lock.lock()
                    shared.outcomes[stage.id] = outcome
                    shared.running -= 1
                    if case .failed = outcome, !keepGoing { shared.stop = true }
                    lock.signal()
                    lock.unlock()
                    group.leave()
                }
            }
            if shared.outcomes.count == graph.stages.count { break }
            if !progressed { lock.wait() }
        }
        lock.unlock()
        group.wait()
        return Summary(outcomes: shared.outcomes, order: graph.stages.map(\.id))
    }

    /// Runs one stage under its lock unless its entry is complete.
    func execute(_ stage: Stage, key: CacheKey, inputs: [(String, CacheKey)]) -> Outcome {
        do {
            return try store.withLock(key) {
                // A pinned entry is read, never recomputed, even under --force.
                if store.isComplete(key) && (!force.contains(stage.id) || stage.pinnedKey != nil) { return .cached }
                let output = try store.temporaryFolder(for: key)
                let partial = store.partial(key)
                // --force starts over: a resume state left by an earlier attempt (perhaps the
                // damaged one that made the user force) is not reused.
                if force.contains(stage.id) { try? FileManager.default.removeItem(at: partial) }
                try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
                let start = Date()
                do {
                    try stage.body(StageContext(key: key, inputs: Dictionary(uniqueKeysWithValues: inputs.map { ($0.0, store.entry($0.1)) }),
                                                output: output, partial: partial))
                } catch {
                    try? FileManager.default.removeItem(at: output)
                    throw error
                }
                try StageRecord(stage: stage.id, seconds: Date().timeIntervalSince(start)).write(into: output)
                try store.commit(output, as: key)
                try? FileManager.default.removeItem(at: partial)
                return .ran
            }
        } catch {
            return .failed(FileSystemMessage.describe(error))
        }
    }
}
