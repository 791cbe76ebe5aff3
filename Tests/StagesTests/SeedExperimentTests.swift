import Foundation
import Testing
import TestSupport
import Pipeline
import Spec
@testable import Stages

/// Every spec in `Experiments/timit/` runs end to end at a tiny size on the synthetic corpus, so
/// none of them rots while no TIMIT copy is at hand.
@Suite struct SeedExperimentTests {
    static let folder = Fixtures.repositoryRoot.appendingPathComponent("Experiments/timit")

    static var specs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("_") }.sorted()
    }

    static let tiny = ["~calibrate", "dataset.kind=synthetic", "dataset.speakers=8", "dataset.utterances=6", "dataset.test_fraction=0.5",
                       "features.seconds=0.6", "model.width=0.125", "pretrain.epochs=1", "pretrain.batch=8"]
    static let tinyFinetune = ["finetune.steps=2", "finetune.evaluate_every=2", "finetune.triplets=4"]

    @Test func theSeedsExperimentsAreAllThere() {
        let expected = ["attdcnn-era-a.yaml", "attdcnn.yaml", "deepspeaker-era-a.yaml", "deepspeaker.yaml", "finetune-optimizers.yaml", "modern.yaml",
                        "se-resnet-era-a.yaml", "se-resnet.yaml", "vggvox-resnet34-era-a.yaml", "vggvox-resnet34.yaml"]
        #expect(Self.specs == expected)
    }

    @Test func eraAAndHeadDifferWhereTheSeedsErasDo() throws {
        for name in Self.specs where name != "finetune-optimizers.yaml" && name != "modern.yaml" {
            let spec = try ExperimentSpec.load(path: Self.folder.appendingPathComponent(name).path).spec.canonical
            #expect(spec["dataset"]?["kind"]?.string == "timit", "\(name)")
            let eraA = name.hasSuffix("-era-a.yaml")
            #expect(spec["features"]?["scale"]?.string == (eraA ? "peak" : "int16"), "\(name)")
            #expect(spec["features"]?["normalization"]?.string == (eraA ? "none" : "per-frame"), "\(name)")
            #expect(spec["evaluate"]?["protocol"]?.string == (eraA ? "membership-era-a" : "membership-head"), "\(name)")
            #expect(spec["pretrain"]?["epochs"]?.int == (eraA ? 300 : 20), "\(name)")
            #expect(spec["pretrain"]?["optimizer"]?["lr"]?.double == 0.01 && spec["pretrain"]?["batch"]?.int == 32)
        }
        let graphs = try ["deepspeaker-era-a.yaml", "attdcnn-era-a.yaml", "deepspeaker.yaml", "attdcnn.yaml"].map {
            try ExperimentSpec.load(path: Self.folder.appendingPathComponent($0).path).spec.canonical["model"]?["graph"]?.string
        }
        #expect(graphs == ["deepspeaker-era-a.yaml", "attdcnn-baseline.yaml", "deepspeaker.yaml", "attdcnn.yaml"])
    }

    @Test(arguments: specs) func runsOnTheSyntheticCorpusAtATinySize(_ name: String) throws {
        let results = TemporaryDirectory()
        let path = Self.folder.appendingPathComponent(name).path
        let source = try SpecSource(path: path)
        let finetunes = try source.resolve(overrides: [], schema: ExperimentSchema.schema).value["finetune"] != nil
        let sweep = try Sweep(source: source, overrides: Self.tiny + (finetunes ? Self.tinyFinetune : []))
        let summary = try sweep.run(specPath: path, locations: .init(results: results.url), jobs: 2, keepGoing: false)
        #expect(summary.succeeded, "\(name): \(summary.text)")
        let runs = try PublishedRun.collect([results.url.path])
        #expect(runs.count == (name == "finetune-optimizers.yaml" ? 3 : 1))
        for run in runs {
            let metrics = run.metrics.map(\.name)
            #expect(metrics.contains("si_top1"), "\(name): \(metrics)")
            #expect(metrics.contains(name == "modern.yaml" ? "min_dcf_p0.001" : "eer_seed"), "\(name): \(metrics)")
            #expect(run.metrics.allSatisfy { Double($0.value) != nil }, "\(name): \(run.metrics)")
        }
        if name == "finetune-optimizers.yaml" {
            // Each point's folder is named by every override, the tiny sizes too.
            #expect(runs.map(\.name) == sweep.points.map { "timit-finetune-optimizers/" + $0.name }.sorted())
            #expect(runs.allSatisfy { $0.selectedOnTestSpeakers }, "the seed's study selects on its test speakers, by name")
        }
    }
}
