import Datasets
import Foundation
import Testing
import TestSupport
@testable import Pipeline
@testable import Spec
@testable import Stages

/// The stage contract (a stage's body sees exactly what its key hashes) and inputs by content
/// (a corpus edited in place renews prepare and what follows).
@Suite struct StageContractTests {
    static let quickstart = Fixtures.repositoryRoot.appendingPathComponent("Experiments/quickstart.yaml").path

    /// A definition whose parameters hold a field that is not encoded: the body must not see it.
    enum Probe: StageDefinition {
        struct Parameters: Codable, Hashable, Sendable {
            var hashed: Int
            var unhashed: Int = 0
            enum CodingKeys: String, CodingKey { case hashed }
        }
        static let kind = "probe"
        static let codeVersion = 1
        nonisolated(unsafe) static var received: Parameters?
        static func run(_ parameters: Parameters, _ context: StageContext) throws { received = parameters }
    }

    @Test func aBodyReceivesTheHashedValueAndNothingElse() throws {
        let stage = Stage(Probe.self, id: "probe", parameters: .init(hashed: 7, unhashed: 99))
        #expect(stage.parameters == .object(["hashed": .integer(7)]))
        let folder = TemporaryDirectory()
        try stage.run(StageContext(key: CacheKey(hex: String(repeating: "0", count: 64))!, inputs: [:], output: folder.url, partial: folder.url))
        // The field the key does not hash arrives at its default, not as given.
        #expect(Probe.received == .init(hashed: 7, unhashed: 0))
    }

    @Test func everyExperimentStageSeesExactlyWhatItsKeyHashes() throws {
        let plan = try ExperimentPlan(specPath: Self.quickstart)
        #expect(plan.graph.stages.map(\.id) == ["prepare", "features", "pretrain", "finetune", "calibrate", "evaluate", "report"])
        // Each stage's canonical parameters decode to its typed value and encode back unchanged:
        // the value the body receives is the value the key hashes.
        func roundTrips<D: StageDefinition>(_ definition: D.Type, _ id: String) throws -> Bool {
            let stage = plan.graph.stages.first { $0.id == id }!
            return CanonicalValue(encoding: try stage.parameters.decoded(as: D.Parameters.self)).canonicalText == stage.parameters.canonicalText && stage.kind == D.kind
        }
        #expect(try roundTrips(PrepareStage.self, "prepare"))
        #expect(try roundTrips(FeaturesStage.self, "features"))
        #expect(try roundTrips(PretrainStage.self, "pretrain"))
        #expect(try roundTrips(FinetuneStage.self, "finetune"))
        #expect(try roundTrips(EvaluateStage.self, "evaluate"))
        #expect(try roundTrips(ReportStage.self, "report"))
        // So do the stages that augmentation and whole-utterance scoring add.
        let augmented = try ExperimentPlan(specPath: Self.quickstart, overrides: ["augment.crop=[1, 2]", "augment.speed=[0.9]", "evaluate.length=whole", "pretrain.select=eer"])
        for (id, kind) in [("augment", AugmentStage.kind), ("whole-features", FeaturesStage.kind)] {
            #expect(augmented.graph.stages.first { $0.id == id }?.kind == kind)
        }
        let augment = augmented.graph.stages.first { $0.id == "augment" }!
        #expect(CanonicalValue(encoding: try augment.parameters.decoded(as: AugmentStage.Parameters.self)).canonicalText == augment.parameters.canonicalText)
        let pretrain = augmented.graph.stages.first { $0.id == "pretrain" }!
        #expect(CanonicalValue(encoding: try pretrain.parameters.decoded(as: PretrainStage.Parameters.self)).canonicalText == pretrain.parameters.canonicalText)
        #expect(pretrain.inputs.contains("augment"))
        // A spec value outside a stage's parameters leaves its key alone; one inside renews it.
        let retitled = try ExperimentPlan(specPath: Self.quickstart, overrides: ["report.title=Other", "execution.threads=1"])
        #expect(retitled.graph.keys == plan.graph.keys)
        let relearned = try ExperimentPlan(specPath: Self.quickstart, overrides: ["finetune.optimizer.lr=0.0005"])
        #expect(["prepare", "features", "pretrain"].allSatisfy { relearned.graph.keys[$0] == plan.graph.keys[$0] })
        #expect(["finetune", "evaluate", "report"].allSatisfy { relearned.graph.keys[$0] != plan.graph.keys[$0] })
    }

    /// The fine-tuning learning rate's one typed path: YAML → `FinetuneSpec.optimizer` → the
    /// stage's parameters → the training loop's `OptimizerSettings`.
    @Test func theFineTuningLearningRateTakesOneTypedPath() throws {
        let plan = try ExperimentPlan(specPath: Self.quickstart, overrides: ["finetune.optimizer.lr=0.00025"])
        guard case let .sgd(options)? = plan.spec.finetune?.optimizer else { Issue.record("quickstart fine-tunes with SGD"); return }
        #expect(options.lr == 0.00025)
        let stage = plan.graph.stages.first { $0.id == "finetune" }!
        let parameters = try stage.parameters.decoded(as: FinetuneStage.Parameters.self)
        let settings = FinetuneStage.settings(parameters.finetune, seed: parameters.seed)
        #expect(settings.optimizer.kind == .sgd && settings.optimizer.learningRate == 0.00025)
        #expect(stage.parameters["finetune"]?["optimizer"]?["lr"] == .number(0.00025))
    }

    @Test func anOptimizerKindSweepPlansBothPointsOnASpecWhoseBaseSetsMomentum() throws {
        let spec = Fixtures.repositoryRoot.appendingPathComponent("Experiments/timit/deepspeaker.yaml").path
        let source = try SpecSource(path: spec)
        let sweep = try Sweep(source: source, overrides: ["pretrain.optimizer.kind=adam,sgd", "dataset.kind=synthetic"])
        let plans = try sweep.plans(source: source, cache: nil)
        #expect(plans.map(\.0.name) == ["dataset.kind=synthetic,pretrain.optimizer.kind=adam", "dataset.kind=synthetic,pretrain.optimizer.kind=sgd"])
        guard case .adam? = plans[0].1.spec.pretrain?.optimizer, case let .sgd(sgd)? = plans[1].1.spec.pretrain?.optimizer else {
            Issue.record("expected adam then sgd"); return
        }
        #expect(sgd.momentum == 0.9)
        // A sweep over whole sections, as a spec's sweep block or --set gives it.
        let sections = try Sweep(source: source, overrides: ["pretrain.optimizer={kind: adam, lr: 0.001},{kind: sgd}", "dataset.kind=synthetic"])
        #expect(sections.points.map(\.name) == ["kind=synthetic,optimizer=kind=adam,lr=0.001", "kind=synthetic,optimizer=kind=sgd"])
        #expect(try sections.plans(source: source, cache: nil)[0].1.spec.pretrain?.optimizer.learningRate == 0.001)
    }

    @Test func removingAnInheritedSectionRemovesItsStage() throws {
        let plan = try ExperimentPlan(specPath: Self.quickstart, overrides: ["~finetune"])
        #expect(!plan.graph.stages.contains { $0.id == "finetune" })
        #expect(plan.graph.stages.first { $0.id == "evaluate" }!.inputs == ["features", "pretrain", "calibrate"])
    }

    /// Writes a folders corpus (speaker/utterance.wav) from the synthetic voices.
    static func corpus(speakers: Int, utterances: Int) throws -> TemporaryDirectory {
        let scratch = TemporaryDirectory(), root = TemporaryDirectory()
        for utterance in try SyntheticCorpus(speakers: speakers, utterancesPerSpeaker: utterances, testFraction: 0.5).write(to: scratch.url.path) {
            let folder = root.url.appendingPathComponent(utterance.speaker)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: utterance.path, toPath: folder.appendingPathComponent(URL(fileURLWithPath: utterance.path).lastPathComponent).path)
        }
        return root
    }

    @Test func aCorpusEditedInPlaceRenewsPrepareAndWhatFollows() throws {
        let root = try Self.corpus(speakers: 6, utterances: 4)
        let results = TemporaryDirectory()
        let locations = ExperimentRun.Locations(results: results.url)
        let overrides = ["dataset.kind=folders", "dataset.root=\(root.url.path)", "dataset.test_fraction=0.5", "features.seconds=0.6",
                         "~pretrain", "~finetune", "~calibrate", "model.graph=mean-logmel.yaml", "name=edited"]
        let first = try ExperimentRun.run(specPath: Self.quickstart, overrides: overrides, locations: locations, jobs: 1, keepGoing: false, force: [])
        #expect(first.succeeded, "\(first.text)")
        #expect(try ExperimentRun.planText(specPath: Self.quickstart, overrides: overrides, locations: locations).split(separator: "\n").dropLast().allSatisfy { $0.hasPrefix("cached") })
        // Add one file, remove one, rewrite one (same size, new content).
        let speakers = try FileManager.default.contentsOfDirectory(atPath: root.url.path).sorted()
        let files = try speakers.map { speaker in try FileManager.default.contentsOfDirectory(atPath: root.path(speaker)).sorted().map { root.path("\(speaker)/\($0)") } }
        try FileManager.default.copyItem(atPath: files[0][0], toPath: root.path("\(speakers[0])/added.wav"))
        try FileManager.default.removeItem(atPath: files[1][0])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: files[2][0]))
        bytes[bytes.count - 1] ^= 0x5a
        try bytes.write(to: URL(fileURLWithPath: files[2][0]))
        let plan = try ExperimentRun.planText(specPath: Self.quickstart, overrides: overrides, locations: locations)
        #expect(plan.contains("(corpus changed: 1 file added, 1 removed, 1 rewritten)"), "\(plan)")
        #expect(plan.split(separator: "\n").dropLast().allSatisfy { $0.hasPrefix("stale") || $0.hasPrefix("to run") }, "\(plan)")
        let second = try ExperimentRun.run(specPath: Self.quickstart, overrides: overrides, locations: locations, jobs: 1, keepGoing: false, force: [])
        #expect(second.succeeded, "\(second.text)")
        #expect(["prepare", "features", "evaluate", "report"].allSatisfy { second.outcomes[$0] == .ran }, "\(second.text)")
        let manifest = try String(contentsOfFile: results.path("edited/spec.json"), encoding: .utf8)
        #expect(manifest.contains(root.url.path))
    }
}
