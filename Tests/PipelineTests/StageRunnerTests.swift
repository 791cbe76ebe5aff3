import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// Counts how often each stage body ran, across threads.
final class ExecutionLog: @unchecked Sendable {
    private var counts: [String: Int] = [:]
    private let lock = NSLock()
    func record(_ id: String) { lock.lock(); counts[id, default: 0] += 1; lock.unlock() }
    func count(_ id: String) -> Int { lock.lock(); defer { lock.unlock() }; return counts[id, default: 0] }
    var total: Int { lock.lock(); defer { lock.unlock() }; return counts.values.reduce(0, +) }
}

@Suite struct StageRunnerTests {
    /// prepare → features → pretrain → finetune → metrics, plus an independent `summary` stage.
    static func graph(learningRate: Double, log: ExecutionLog, failing: String? = nil, delay: Double = 0) throws -> StageGraph {
        func stage(_ id: String, _ inputs: [String], _ parameters: CanonicalValue = .object([:])) -> Stage {
            Stage(id: id, kind: id, parameters: parameters, inputs: inputs) { context in
                log.record(id)
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                if id == failing { throw PipelineError("\(id) failed on purpose") }
                var text = id
                for input in context.inputs.keys.sorted() {
                    text += "+" + (try String(contentsOf: context.inputs[input]!.appendingPathComponent("out.txt"), encoding: .utf8))
                }
                try text.write(to: context.output.appendingPathComponent("out.txt"), atomically: true, encoding: .utf8)
            }
        }
        return try StageGraph([
            stage("prepare", []),
            stage("features", ["prepare"], .object(["bands": .integer(40)])),
            stage("pretrain", ["features"], .object(["lr": .number(0.01)])),
            stage("finetune", ["pretrain"], .object(["lr": .number(learningRate)])),
            stage("metrics", ["finetune"]),
            stage("summary", ["prepare"]),
        ])
    }

    @Test func aSecondRunRunsNothingAndALearningRateChangeRerunsOnlyFineTuningOnward() throws {
        let folder = TemporaryDirectory()
        let store = try ArtifactStore(root: folder.url)
        let log = ExecutionLog()
        let first = StageRunner(store: store, jobs: 2).run(try Self.graph(learningRate: 1e-3, log: log))
        #expect(first.succeeded && log.total == 6)
        let second = StageRunner(store: store, jobs: 2).run(try Self.graph(learningRate: 1e-3, log: log))
        #expect(second.outcomes.values.allSatisfy { $0 == .cached } && log.total == 6)
        let third = StageRunner(store: store, jobs: 2).run(try Self.graph(learningRate: 1e-4, log: log))
        #expect(third.outcomes["finetune"] == .ran && third.outcomes["metrics"] == .ran)
        #expect(["prepare", "features", "pretrain", "summary"].allSatisfy { third.outcomes[$0] == .cached })
        #expect(third.text.hasSuffix("2 ran, 4 cached, 0 failed, 0 skipped\n"))
    }

    @Test func aFailureStopsItsDependentsAndKeepGoingRunsTheRest() throws {
        let folder = TemporaryDirectory()
        let log = ExecutionLog()
        let graph = try Self.graph(learningRate: 1e-3, log: log, failing: "pretrain")
        let summary = StageRunner(store: try ArtifactStore(root: folder.url), jobs: 1, keepGoing: true).run(graph)
        #expect(summary.outcomes["pretrain"] == .failed("pretrain failed on purpose"))
        #expect(summary.outcomes["finetune"] == .skipped(because: "input 'pretrain' did not complete"))
        #expect(summary.outcomes["summary"] == .ran)
        #expect(!summary.succeeded)
        // Nothing of the failed stage was kept: a rerun without the fault computes it.
        let retry = StageRunner(store: try ArtifactStore(root: folder.url), jobs: 1).run(try Self.graph(learningRate: 1e-3, log: log))
        #expect(retry.outcomes["pretrain"] == .ran && retry.outcomes["features"] == .cached)
    }

    @Test func twoRunnersAtOnceComputeEachStageOnce() throws {
        let folder = TemporaryDirectory()
        let log = ExecutionLog()
        let graph = try Self.graph(learningRate: 1e-3, log: log, delay: 0.05)
        var summaries: [StageRunner.Summary] = []
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let summary = StageRunner(store: try! ArtifactStore(root: folder.url), jobs: 2).run(graph)
            lock.lock(); summaries.append(summary); lock.unlock()
        }
        #expect(summaries.allSatisfy { $0.succeeded })
        for id in ["prepare", "features", "pretrain", "finetune", "metrics", "summary"] { #expect(log.count(id) == 1, "\(id) ran \(log.count(id)) times") }
    }

    @Test func anEntryWithoutItsManifestIsNotTrusted() throws {
        let folder = TemporaryDirectory()
        let store = try ArtifactStore(root: folder.url)
        let log = ExecutionLog()
        let graph = try Self.graph(learningRate: 1e-3, log: log)
        _ = StageRunner(store: store).run(graph)
        // Simulate a run killed while writing: the entry's manifest is gone.
        let key = graph.keys["metrics"]!
        try FileManager.default.removeItem(at: store.entry(key).appendingPathComponent("manifest.json"))
        #expect(!store.isComplete(key))
        let again = StageRunner(store: store).run(graph)
        #expect(again.outcomes["metrics"] == .ran && again.outcomes["finetune"] == .cached)
    }

    @Test func cyclesAndUnknownInputsAreRejected() {
        let noop: (StageContext) throws -> Void = { _ in }
        #expect { try StageGraph([Stage(id: "a", kind: "a", inputs: ["b"], body: noop), Stage(id: "b", kind: "b", inputs: ["a"], body: noop)]) }
            throws: { "\($0)".contains("the stages form a cycle: a → b → a") }
        #expect { try StageGraph([Stage(id: "a", kind: "a", inputs: ["missing"], body: noop)]) }
            throws: { "\($0)" == "stage 'a' reads 'missing', which is not a stage of this plan" }
    }
}
