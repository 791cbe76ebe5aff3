import Foundation
import Testing
import TestSupport
import Pipeline
import Spec
@testable import Stages

/// `Experiments/quickstart.yaml` end to end at tiny sizes: a run, the same run again (zero
/// stages), then a fine-tuning learning-rate change (fine-tuning and what follows only).
@Suite struct ExperimentRunTests {
    /// The quick start at tiny sizes (`Tests/Fixtures/tiny-quickstart.yaml`): it publishes to `quickstart/`.
    static let tinySpec = Fixtures.directory.appendingPathComponent("tiny-quickstart.yaml").path
    /// What the tiny spec adds to a command line: nothing (kept for the tests that add overrides to it).
    static let tiny: [String] = []

    /// Where a run of the tiny spec with `overrides` publishes, relative to the results folder.
    static func published(_ overrides: [String], name: String = "quickstart") -> String {
        RunFolder.point(overrides: overrides).map { "\(name)/\($0.name)" } ?? name
    }

    @Test func quickStartRunsThenCachesThenRerunsOnlyWhatALearningRateChangeTouches() throws {
        let results = TemporaryDirectory()
        let spec = Self.tinySpec
        let locations = ExperimentRun.Locations(results: results.url)
        let first = try ExperimentRun.run(specPath: spec, overrides: Self.tiny, locations: locations, jobs: 2, keepGoing: false, force: [])
        #expect(first.succeeded, "\(first.text)")
        #expect(first.outcomes.values.allSatisfy { $0 == .ran } && first.outcomes.count == 6)
        for file in ["metrics.csv", "history.csv", "report.md", "spec.json", "environment.json", "plots/roc.svg", "plots/det.svg"] {
            #expect(FileManager.default.fileExists(atPath: results.path("quickstart/\(file)")), "missing \(file)")
        }
        let metrics = try String(contentsOfFile: results.path("quickstart/metrics.csv"), encoding: .utf8)
        #expect(metrics.hasPrefix("eer,eer_lo,eer_hi,auc,auc_lo,auc_hi,min_dcf_p0.01,min_dcf_p0.01_lo,min_dcf_p0.01_hi,eer_seed,eer_seed_lo,eer_seed_hi,si_top1,si_top1_lo,si_top1_hi,si_top5,si_top5_lo,si_top5_hi\n"))

        let second = try ExperimentRun.run(specPath: spec, overrides: Self.tiny, locations: locations, jobs: 2, keepGoing: false, force: [])
        #expect(second.outcomes.values.allSatisfy { $0 == .cached })

        let third = try ExperimentRun.run(specPath: spec, overrides: Self.tiny + ["finetune.optimizer.lr=0.0005"], locations: locations, jobs: 2, keepGoing: false, force: [])
        #expect(["prepare", "features", "pretrain"].allSatisfy { third.outcomes[$0] == .cached })
        #expect(["finetune", "evaluate", "report"].allSatisfy { third.outcomes[$0] == .ran })

        // Pairwise trials: only evaluation and the report rerun; every trial's speakers are in scores.csv.
        let pairs = try ExperimentRun.run(specPath: spec, overrides: Self.tiny + ["finetune.optimizer.lr=0.0005", "evaluate.protocol=pairs", "evaluate.nontarget_pairs=40"],
                                          locations: locations, jobs: 1, keepGoing: false, force: [])
        #expect(pairs.outcomes["evaluate"] == .ran && pairs.outcomes["finetune"] == .cached)
        let pairsFolder = Self.published(["finetune.optimizer.lr=0.0005", "evaluate.protocol=pairs", "evaluate.nontarget_pairs=40"])
        let scores = try String(contentsOfFile: results.path("\(pairsFolder)/scores.csv"), encoding: .utf8).split(separator: "\n")
        // 4 test speakers × C(6, 2) same-speaker pairs, and 40 drawn different-speaker pairs.
        #expect(scores.first == "enrol,test,enrol_speaker,test_speaker,label,score" && scores.count == 1 + 4 * 15 + 40)

        let membership = try ExperimentRun.run(specPath: spec, overrides: Self.tiny + ["evaluate.protocol=membership-head", "evaluate.metrics=[eer_seed, acc_seed, pr_auc_seed, auc]"],
                                               locations: locations, jobs: 1, keepGoing: false, force: [])
        // Only evaluation and the report depend on the protocol and the metric list.
        #expect(membership.outcomes["evaluate"] == .ran && membership.outcomes["finetune"] == .cached)
        let membershipFolder = Self.published(["evaluate.protocol=membership-head", "evaluate.metrics=[eer_seed, acc_seed, pr_auc_seed, auc]"])
        #expect(try String(contentsOfFile: results.path("\(membershipFolder)/metrics.csv"), encoding: .utf8).hasPrefix("eer_seed,eer_seed_lo,eer_seed_hi,acc_seed,acc_seed_lo,acc_seed_hi,pr_auc_seed,pr_auc_seed_lo,pr_auc_seed_hi,auc,auc_lo,auc_hi,si_top1"))

        let forced = try ExperimentRun.run(specPath: spec, overrides: Self.tiny, locations: locations, jobs: 1, keepGoing: false, force: ["evaluate"])
        #expect(forced.outcomes["evaluate"] == .ran && forced.outcomes["report"] == .ran && forced.outcomes["pretrain"] == .cached)
    }

    @Test func aBadSpecFailsBeforeAnyStageRuns() throws {
        let results = TemporaryDirectory()
        let spec = Self.tinySpec
        #expect {
            try ExperimentRun.run(specPath: spec, overrides: ["model.graph=resnet35.yaml"], locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        } throws: { "\($0)".contains("model.graph names 'resnet35.yaml'") }
        #expect {
            try ExperimentRun.run(specPath: spec, overrides: ["finetune.optimizer.momentun=0.9"], locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        } throws: { "\($0)".contains("'finetune.optimizer.momentun' is not a spec key") }
        // Nothing ran: no cache entry and no results folder.
        #expect(!FileManager.default.fileExists(atPath: results.path("quickstart")))
    }
}

extension ExperimentRunTests {
    @Test func sweepPointsShareTheirCommonStagesAndGetASummary() throws {
        let grid = try Sweep(overrides: ["finetune.optimizer.lr=0.001,0.0001", "seed=1", "finetune.margin=0.1,0.2"])
        // The fixed override names every point too: a point's folder identifies its resolved spec.
        #expect(grid.points.map(\.name) == ["seed=1,lr=0.001,margin=0.1", "seed=1,lr=0.001,margin=0.2", "seed=1,lr=0.0001,margin=0.1", "seed=1,lr=0.0001,margin=0.2"])
        #expect(grid.fixed == ["seed=1"])
        #expect(try Sweep(overrides: ["evaluate.metrics=[eer, auc]"]).points.count == 1)
        let zipped = try Sweep(overrides: [], zip: ["finetune.optimizer.kind=adam,sgd", "finetune.optimizer.lr=0.001,0.0001"])
        #expect(zipped.points.map(\.name) == ["kind=adam,lr=0.001", "kind=sgd,lr=0.0001"])

        let results = TemporaryDirectory()
        let spec = Self.tinySpec
        let sweep = try Sweep(overrides: Self.tiny + ["finetune.optimizer.lr=0.001,0.0005"])
        let summary = try sweep.run(specPath: spec, locations: .init(results: results.url), jobs: 2, keepGoing: false)
        #expect(summary.succeeded, "\(summary.text)")
        // prepare, features and pretrain are shared: 3 + 2 × (finetune, evaluate, report) = 9 stages.
        #expect(summary.outcomes.count == 9)
        let table = try String(contentsOfFile: results.path("quickstart/summary.csv"), encoding: .utf8)
        #expect(table.hasPrefix("point,finetune.optimizer.lr,eer,"))
        #expect(table.split(separator: "\n").count == 3)
        #expect(FileManager.default.fileExists(atPath: results.path("quickstart/lr=0.0005/report.md")))
        let again = try sweep.run(specPath: spec, locations: .init(results: results.url), jobs: 2, keepGoing: false)
        #expect(again.outcomes.values.allSatisfy { $0 == .cached })
    }
}

extension ExperimentRunTests {
    @Test func statusListsExperimentsAndGcRemovesOnlyUnreferencedEntries() throws {
        let results = TemporaryDirectory()
        let spec = Self.tinySpec
        let locations = ExperimentRun.Locations(results: results.url)
        _ = try ExperimentRun.run(specPath: spec, overrides: Self.tiny, locations: locations, jobs: 2, keepGoing: false, force: [])
        // A second run with another rate publishes beside it; once its folder is deleted, its finetune, evaluate and report are unreferenced.
        _ = try ExperimentRun.run(specPath: spec, overrides: Self.tiny + ["finetune.optimizer.lr=0.0005"], locations: locations, jobs: 2, keepGoing: false, force: [])
        let status = try ExperimentRun.statusText(locations: locations)
        #expect(status.contains("quickstart            6/6") && status.contains("quickstart/lr=0.0005  6/6"), "\(status)")
        try FileManager.default.removeItem(atPath: results.path("quickstart/lr=0.0005"))
        let dryRun = try ExperimentRun.garbageCollect(locations: locations, apply: false)
        #expect(dryRun.hasSuffix("3 unreferenced cache entries; run again with --apply to remove them\n"), "\(dryRun)")
        #expect(try ExperimentRun.garbageCollect(locations: locations, apply: true).hasSuffix("3 unreferenced cache entries\n"))
        #expect(try ExperimentRun.garbageCollect(locations: locations, apply: false).hasSuffix("0 unreferenced cache entries\n"))
        let again = try ExperimentRun.run(specPath: spec, overrides: Self.tiny, locations: locations, jobs: 2, keepGoing: false, force: [])
        #expect(again.outcomes.values.allSatisfy { $0 == .cached })
    }
}

extension ExperimentRunTests {
    @Test func aSpecSweepBlockAndRepeatedSeedsAggregate() throws {
        let folder = TemporaryDirectory()
        let base = Self.tinySpec
        let model = Fixtures.repositoryRoot.appendingPathComponent("Experiments/models/deepspeaker.yaml").path
        try "extends: \(base)\nmodel: {graph: \(model)}\nsweep:\n  grid:\n    seed: [1, 2]\n    finetune.margin: [0.1, 0.2]\n".write(toFile: folder.path("sweep.yaml"), atomically: true, encoding: .utf8)
        let source = try SpecSource(path: folder.path("sweep.yaml"))
        #expect(source.grid == [SweepAxis(key: "seed", values: ["1", "2"]), SweepAxis(key: "finetune.margin", values: ["0.1", "0.2"])])
        let sweep = try Sweep(source: source, overrides: Self.tiny)
        #expect(sweep.points.count == 4)
        let summary = try sweep.run(specPath: folder.path("sweep.yaml"), locations: .init(results: folder.url.appendingPathComponent("Results")), jobs: 2, keepGoing: false)
        #expect(summary.succeeded, "\(summary.text)")
        let aggregated = try String(contentsOfFile: folder.path("Results/quickstart/summary_over_seeds.csv"), encoding: .utf8)
        #expect(aggregated.hasPrefix("finetune.margin,seeds,eer,"), "\(aggregated)")
        #expect(aggregated.split(separator: "\n").count == 3)
        #expect(aggregated.contains(" ± "))
    }

    @Test func anOptionThatDoesNotApplyToTheOptimizerIsLocated() throws {
        let folder = TemporaryDirectory()
        try "name: x\npretrain:\n  optimizer: {kind: adam, momentum: 0.5}\n".write(toFile: folder.path("x.yaml"), atomically: true, encoding: .utf8)
        #expect { try ExperimentPlan(specPath: folder.path("x.yaml")) } throws: {
            "\($0)".contains("x.yaml:3:27: error: 'pretrain.optimizer.momentum' does not apply to kind adam")
        }
    }
}

extension ExperimentRunTests {
    @Test func planSaysWhichParameterMadeAStageStale() throws {
        let results = TemporaryDirectory()
        let spec = Self.tinySpec
        let locations = ExperimentRun.Locations(results: results.url)
        // The spec file itself edited between a run and the plan: its folder's run goes stale.
        let folder = TemporaryDirectory()
        let edited = folder.path("x.yaml")
        let model = "model: {graph: \(Fixtures.repositoryRoot.appendingPathComponent("Experiments/models/deepspeaker.yaml").path)}\n"
        try "extends: \(spec)\n\(model)".write(toFile: edited, atomically: true, encoding: .utf8)
        _ = try ExperimentRun.run(specPath: edited, overrides: Self.tiny, locations: locations, jobs: 2, keepGoing: false, force: [])
        try "extends: \(spec)\n\(model)finetune: {optimizer: {lr: 0.0005}}\n".write(toFile: edited, atomically: true, encoding: .utf8)
        let text = try ExperimentRun.planText(specPath: edited, overrides: Self.tiny, locations: locations)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("cached   prepare") && lines[2].hasPrefix("cached   pretrain"))
        #expect(lines[3].hasPrefix("stale    finetune") && lines[3].hasSuffix("(changed: finetune.optimizer.lr)"), "\(lines[3])")
        #expect(lines[4].hasPrefix("stale    evaluate") && lines[4].hasSuffix("(input finetune changed)"), "\(lines[4])")
    }
}
