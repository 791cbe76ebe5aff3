import Foundation
import Testing
import TestSupport
import Audio
import Pipeline
import Reports
import Spec
@testable import Stages

/// `augment:`, `pretrain.select: eer` and `evaluate.length: whole` end to end on a tiny corpus,
/// and what each puts in which stage's key.
@Suite(.serialized) struct AugmentationStageTests {
    static let spec = Fixtures.repositoryRoot.appendingPathComponent("Experiments/quickstart.yaml").path
    static let tiny = ["~calibrate", "~finetune", "dataset.speakers=12", "dataset.utterances=6", "dataset.test_fraction=0.34", "features.seconds=0.6",
                       "pretrain.epochs=2", "name=augmented"]
    static let augmented = tiny + ["augment.crop=[0.5, 0.8]", "augment.rooms=3", "augment.speed=[0.9, 1.1]", "pretrain.select=eer",
                                   "pretrain.validation_speakers=3", "evaluate.length=whole",
                                   "evaluate.embedding_norm=standardise", "evaluate.score_norm=as-norm"]

    @Test func anAugmentedRunSelectsByEERAndScoresWholeUtterances() throws {
        let results = TemporaryDirectory()
        let summary = try ExperimentRun.run(specPath: Self.spec, overrides: Self.augmented, locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        #expect(summary.succeeded, "\(summary.text)")
        let folder = ExperimentRunTests.published(Self.augmented, name: "augmented")
        let run = try TrainedRun(path: results.path(folder))
        let cache = URL(fileURLWithPath: results.path(".cache"))
        let bank = try ArtifactStore(root: cache).entry(run.keys["augment"]!)
        // The voiced speech of the 8 training speakers' 48 utterances, and the 3 simulated rooms.
        let speech = try RaggedArrays.read("speech", from: bank)
        #expect(speech.arrays.count == 48 && speech.arrays.allSatisfy { !$0.isEmpty })
        #expect(try RaggedArrays.read("rooms", from: bank).arrays.count == 3)
        // Every epoch measured the held-out speakers' EER, and no validation loss.
        let history = try CSV.parse(try String(contentsOfFile: results.path(folder + "/history.csv"), encoding: .utf8))
        let eer = history.header.firstIndex(of: "eer")!, validationLoss = history.header.firstIndex(of: "val_loss")!
        #expect(history.rows.count == 2 && history.rows.allSatisfy { Double($0[eer]) != nil && $0[validationLoss].isEmpty })
        // Whole utterances: the test set's features keep their lengths (at least 1 s).
        let whole = try ArtifactStore(root: cache).entry(run.keys["whole-features"]!)
        let table = try CSV.parse(try String(contentsOf: whole.appendingPathComponent("utterances.csv"), encoding: .utf8))
        let frames = table.rows.map { Int($0[3])! }
        #expect(table.header == ["id", "speaker", "split", "frames"] && frames.allSatisfy { $0 >= 99 } && Set(frames).count > 1)
        #expect(FileManager.default.fileExists(atPath: results.path(folder + "/metrics.csv")))
        // `score` embeds whole utterances as evaluate did, and reproduces its scores.
        let embedder = try RunEmbedder(run: run, wholeUtterance: true)
        #expect(try AfterTrainingTests.scoreReproducesEvaluate(run, embedder: embedder, published: results.path(folder + "/scores.csv")))
    }

    @Test func augmentationIsInTheKeysOfWhatItChangesAndNoOthers() throws {
        let plain = try ExperimentPlan(specPath: Self.spec, overrides: Self.augmented).graph.keys
        let masked = try ExperimentPlan(specPath: Self.spec, overrides: Self.augmented + ["augment.time_masks=3"]).graph.keys
        #expect(plain["prepare"] == masked["prepare"] && plain["features"] == masked["features"] && plain["whole-features"] == masked["whole-features"])
        // Masks are drawn in pretraining: the bank is shared, training renews.
        #expect(plain["augment"] == masked["augment"] && plain["pretrain"] != masked["pretrain"] && plain["evaluate"] != masked["evaluate"])
        let rooms = try ExperimentPlan(specPath: Self.spec, overrides: Self.augmented + ["augment.rooms=4"]).graph.keys
        #expect(plain["augment"] != rooms["augment"] && plain["pretrain"] != rooms["pretrain"])
        let reseeded = try ExperimentPlan(specPath: Self.spec, overrides: Self.augmented + ["seed=2"]).graph.keys
        #expect(plain["augment"] != reseeded["augment"])
        // Without augment the plan is as before: no augment stage, and the cut features' key unchanged.
        let without = try ExperimentPlan(specPath: Self.spec, overrides: Self.tiny).graph.keys
        #expect(without["augment"] == nil && without["features"] == plain["features"] && without["whole-features"] == nil)
    }

    @Test func aNoiseFileEditedInPlaceRenewsTheAugmentStage() throws {
        let folder = TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        try FileManager.default.createDirectory(atPath: folder.path("noise"), withIntermediateDirectories: true)
        try AudioFile.write(AudioSignal(samples: NoiseColour.pink.samples(16000, using: &generator).map { $0 * 0.1 }, sampleRate: 16000), to: folder.path("noise/a.wav"))
        let overrides = Self.augmented + ["augment.noise_folder=\(folder.path("noise"))", "augment.noise_kinds=[coloured, folder]"]
        let before = try ExperimentPlan(specPath: Self.spec, overrides: overrides).graph.keys
        try AudioFile.write(AudioSignal(samples: NoiseColour.white.samples(16000, using: &generator).map { $0 * 0.1 }, sampleRate: 16000), to: folder.path("noise/a.wav"))
        let after = try ExperimentPlan(specPath: Self.spec, overrides: overrides).graph.keys
        #expect(before["augment"] != after["augment"] && before["pretrain"] != after["pretrain"] && before["features"] == after["features"])
    }

    @Test func recordedNoisesAndRoomResponsesAreResampledIntoTheBank() throws {
        let folder = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder.path("noise/street"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path("rirs"), withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        // A 2 s noise at 8 kHz, and a 2 s room response at 16 kHz (cut to 1 s, unit energy).
        try AudioFile.write(AudioSignal(samples: NoiseColour.pink.samples(16000, using: &generator).map { $0 * 0.1 }, sampleRate: 8000), to: folder.path("noise/street/a.wav"))
        let room = ImageMethodRoom(size: [5, 4, 3], source: [1, 1, 1.5], microphone: [3, 2, 1.5], reverberationTime: 0.3)
        try AudioFile.write(AudioSignal(samples: room.impulseResponse(sampleRate: 16000, seconds: 2).map { $0 * 0.5 }, sampleRate: 16000), to: folder.path("rirs/room.wav"))
        let results = TemporaryDirectory()
        let overrides = Self.augmented + ["augment.noise_folder=\(folder.path("noise"))", "augment.noise_kinds=[folder]", "augment.rir_folder=\(folder.path("rirs"))",
                                          "pretrain.epochs=1", "augment.speed=[]"]
        let summary = try ExperimentRun.run(specPath: Self.spec, overrides: overrides, locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        #expect(summary.succeeded, "\(summary.text)")
        let run = try TrainedRun(path: results.path(ExperimentRunTests.published(overrides, name: "augmented")))
        let bank = try ArtifactStore(root: URL(fileURLWithPath: results.path(".cache"))).entry(run.keys["augment"]!)
        let noises = try RaggedArrays.read("noises", from: bank), rooms = try RaggedArrays.read("rooms", from: bank)
        #expect(noises.names == ["street/a.wav"] && abs(noises.arrays[0].count - 32000) <= 2)
        #expect(rooms.names == ["room.wav"] && rooms.arrays[0].count == 16000)
        #expect(abs(rooms.arrays[0].reduce(0.0) { $0 + Double($1) * Double($1) } - 1) < 1e-4)
    }
}

extension AugmentationStageTests {
    /// A silent room response would silence every reverberated crop: the augment stage refuses it by path.
    @Test func aSilentRoomResponseIsRefusedByPath() throws {
        let folder = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder.path("rirs"), withIntermediateDirectories: true)
        try AudioFile.write(AudioSignal(samples: [Float](repeating: 0, count: 8000), sampleRate: 16000), to: folder.path("rirs/silent.wav"))
        let results = TemporaryDirectory()
        let overrides = Self.augmented + ["augment.rir_folder=\(folder.path("rirs"))", "pretrain.epochs=1", "augment.speed=[]"]
        let summary = try ExperimentRun.run(specPath: Self.spec, overrides: overrides, locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        #expect(!summary.succeeded)
        #expect(summary.text.contains("silent.wav: a silent room response"), "\(summary.text)")
    }
}
