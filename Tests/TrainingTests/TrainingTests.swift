import Foundation
import Testing
import TestSupport
import Audio
import Datasets
import Models
import NN
import Randomness
import Tensor
@testable import Training

/// Small, fixed-seed training runs on the synthetic corpus: 14 speakers × 8 utterances, 0.6 s crops;
/// 8 speakers train (6 + 2 validation utterances each), 6 held-out speakers evaluate verification.
@Suite(.serialized) struct TrainingTests {
    struct Corpus {
        let train: TrainingData
        let validation: TrainingData
        let evaluation: TrainingData
        let trials: TrialList
    }

    static let corpus: Corpus = {
        let folder = TemporaryDirectory("speakerlab-training")
        let utterances = try! SyntheticCorpus(speakers: 14, utterancesPerSpeaker: 8, testFraction: 6.0 / 14, seed: 11).write(to: folder.url.path)
        let settings = FeatureSettings(voiceDecision: .adaptive(aggressiveness: 1), cutPad: .seed(seconds: 0.6))
        let features = ParallelFeatureExtraction.run(paths: utterances.map(\.path), settings: settings, threads: 2).map { try! $0.get() }
        let trainSpeakers = Set(utterances.filter { $0.split == "train" }.map(\.speaker)).sorted()
        var generator = SeededGenerator(seed: 1)
        let (train, validation) = SeedProtocols.pretrainingSplit(utterances.filter { $0.split == "train" }, validationFraction: 0.25, using: &generator)
        func data(_ list: [Utterance]) -> TrainingData {
            let index = Dictionary(uniqueKeysWithValues: utterances.enumerated().map { ($1.id, $0) })
            return try! TrainingData(features: list.map { features[index[$0.id]!] },
                                     labels: list.map { trainSpeakers.firstIndex(of: $0.speaker) ?? 0 }, ids: list.map(\.id))
        }
        let held = utterances.filter { $0.split == "test" }
        let trials = try! TrialList.speakerModels(held, enrolmentCount: 3, using: &generator)
        return Corpus(train: data(train), validation: data(validation), evaluation: data(held), trials: trials)
    }()

    static func model(seed: UInt64 = 3) throws -> (ModelGraph, Dense) {
        let model = try ModelGraph(file: Fixtures.repositoryRoot.appendingPathComponent("Experiments/models/deepspeaker.yaml").path,
                                   input: [corpus.train.frames, 40, 1], width: 0.25, depths: [1, 1, 1, 1], seed: seed,
                                   batchNormMomentum: 0.9)
        var generator = SeededGenerator(seed: seed)
        return (model, Dense(name: "softmax", inputs: model.embeddingSize, outputs: 8, using: &generator))
    }

    static func pretrainSettings(epochs: Int) -> SoftmaxPretraining.Settings {
        var settings = SoftmaxPretraining.Settings()
        settings.optimizer = OptimizerSettings(kind: .adam, learningRate: 1e-3)
        settings.batchSize = 16
        settings.epochs = epochs
        settings.earlyStoppingPatience = nil
        return settings
    }

    /// A frozen layer gets no update (nor weight decay) while the freeze lasts, and trains after it.
    @Test func frozenLayersStayFixedForTheirEpochsThenTrain() throws {
        let (model, head) = try Self.model()
        let before = Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0.value.scalars) })
        var settings = Self.pretrainSettings(epochs: 1)
        settings.freeze = LayerFreeze(names: ["conv", "batch_normalization*"], duration: 1)
        let folder = TemporaryDirectory()
        try SoftmaxPretraining(settings: settings, folder: folder.url.path, progress: ProgressReporter(enabled: false))
            .run(model: model, classifier: head, train: Self.corpus.train, validation: nil)
        for parameter in model.parameters {
            let frozen = parameter.name.hasPrefix("conv.") || parameter.name.hasPrefix("batch_normalization")
            #expect((parameter.value.scalars == before[parameter.name]!) == frozen, "\(parameter.name)")
        }
        // A second epoch is past the freeze: the first convolution moves.
        let conv = model.parameters.first { $0.name == "conv.kernel" }!.value.scalars
        settings.epochs = 2
        try SoftmaxPretraining(settings: settings, folder: folder.url.path, progress: ProgressReporter(enabled: false))
            .run(model: model, classifier: head, train: Self.corpus.train, validation: nil)
        #expect(model.parameters.first { $0.name == "conv.kernel" }!.value.scalars != conv)
        #expect(LayerFreeze.matches("conv*", layer: "conv_3") && !LayerFreeze.matches("conv", layer: "conv_3"))
    }

    /// `last.safetensors` is the end of training; `averaged.safetensors` the mean of the last N epochs' weights.
    @Test func theLastAndAveragedCheckpointsAreKept() throws {
        let (model, head) = try Self.model()
        var settings = Self.pretrainSettings(epochs: 2)
        settings.averageLast = 2
        let folder = TemporaryDirectory()
        func read(_ name: String) throws -> [String: Tensor] {
            try Checkpoint.decode(Data(contentsOf: URL(fileURLWithPath: folder.path(name)))).tensors
        }
        let trainer = { (epochs: Int) in
            settings.epochs = epochs
            try SoftmaxPretraining(settings: settings, folder: folder.url.path, progress: ProgressReporter(enabled: false))
                .run(model: model, classifier: head, train: Self.corpus.train, validation: nil)
        }
        try trainer(2)
        let second = try read("last.safetensors")
        try trainer(3)
        let third = try read("last.safetensors"), averaged = try read("averaged.safetensors")
        #expect(third["conv.kernel"]!.scalars == model.parameters.first { $0.name == "conv.kernel" }!.value.scalars)
        for (name, tensor) in averaged {
            let mean = zip(second[name]!.scalars, third[name]!.scalars).map { ($0 + $1) * 0.5 }
            #expect(maximumRelativeError(tensor.scalars, mean) < 1e-6, "\(name)")
        }
        #expect(Set(averaged.keys) == Set(model.namedTensors.map(\.name)))
        #expect(second["conv.kernel"]!.scalars != third["conv.kernel"]!.scalars)
    }

    @Test func aRunInterruptedMidEpochResumesToTheSameFinalWeights() throws {
        let uninterrupted = TemporaryDirectory(), interrupted = TemporaryDirectory()
        let (reference, referenceHead) = try Self.model()
        try SoftmaxPretraining(settings: Self.pretrainSettings(epochs: 3), folder: uninterrupted.url.path, progress: ProgressReporter(enabled: false))
            .run(model: reference, classifier: referenceHead, train: Self.corpus.train, validation: Self.corpus.validation)

        var settings = Self.pretrainSettings(epochs: 3)
        settings.saveEverySteps = 2
        // Four batches per epoch: step 7 is mid-epoch two, and the last save before it is step 6.
        let (first, firstHead) = try Self.model()
        let outcome = try SoftmaxPretraining(settings: settings, folder: interrupted.url.path, progress: ProgressReporter(enabled: false))
            .run(model: first, classifier: firstHead, train: Self.corpus.train, validation: Self.corpus.validation, stopAfterSteps: 7)
        #expect(outcome == .interrupted(step: 7))
        // A new process: fresh objects, everything read back from the saved state.
        let (resumed, resumedHead) = try Self.model(seed: 99)
        let final = try SoftmaxPretraining(settings: settings, folder: interrupted.url.path, progress: ProgressReporter(enabled: false))
            .run(model: resumed, classifier: resumedHead, train: Self.corpus.train, validation: Self.corpus.validation)
        #expect(final == .finished(epochs: 3))
        #expect(resumed.parameters.map(\.value) == reference.parameters.map(\.value))
        #expect(resumedHead.weight.value == referenceHead.weight.value)
        #expect(resumed.batchNorms.map(\.statistics.mean) == reference.batchNorms.map(\.statistics.mean))
        // The same history rows, but for the timing columns (seconds, samples per second).
        func rows(_ folder: TemporaryDirectory) throws -> [String] {
            try String(contentsOfFile: folder.path("history.csv"), encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(9).joined(separator: ",") }
        }
        #expect(try rows(interrupted) == rows(uninterrupted))
        #expect(try rows(interrupted).count == 4)
    }

    @Test func aWarmUpRisesLinearlyStepByStepThenHolds() {
        let warmup = LinearWarmup(epochs: 2)
        #expect((0..<9).map { warmup.factor(step: $0, stepsPerEpoch: 4) } == [0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1, 1])
        #expect(Optional<LinearWarmup>.none.factor(step: 0, stepsPerEpoch: 4) == 1)
    }

    /// With the learning-rate and AAM-margin warm-ups: the logged rate is the warmed-up one, the
    /// weights differ from a run without them, and a run interrupted mid-warm-up resumes to the
    /// same weights (the factors depend on the saved global step only).
    @Test func warmUpsChangeTrainingAndSurviveAResume() throws {
        var settings = Self.pretrainSettings(epochs: 3)
        settings.loss = .aam
        let plain = TemporaryDirectory(), warm = TemporaryDirectory(), interrupted = TemporaryDirectory()
        let (reference, referenceHead) = try Self.model()
        try SoftmaxPretraining(settings: settings, folder: plain.url.path, progress: ProgressReporter(enabled: false))
            .run(model: reference, classifier: referenceHead, train: Self.corpus.train, validation: Self.corpus.validation)
        settings.warmup = LinearWarmup(epochs: 2)
        settings.marginWarmup = LinearWarmup(epochs: 2)
        let (warmed, warmedHead) = try Self.model()
        try SoftmaxPretraining(settings: settings, folder: warm.url.path, progress: ProgressReporter(enabled: false))
            .run(model: warmed, classifier: warmedHead, train: Self.corpus.train, validation: Self.corpus.validation)
        #expect(warmed.parameters.map(\.value) != reference.parameters.map(\.value))
        // Four batches an epoch: the rate logged after epoch 1 is half the base, after epoch 2 the base.
        let rates = try String(contentsOfFile: warm.path("history.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { Double($0.split(separator: ",", omittingEmptySubsequences: false)[8])! }
        #expect(rates == [0.0005, 0.001, 0.001])
        settings.saveEverySteps = 2
        let (first, firstHead) = try Self.model()
        _ = try SoftmaxPretraining(settings: settings, folder: interrupted.url.path, progress: ProgressReporter(enabled: false))
            .run(model: first, classifier: firstHead, train: Self.corpus.train, validation: Self.corpus.validation, stopAfterSteps: 5)
        let (resumed, resumedHead) = try Self.model(seed: 99)
        try SoftmaxPretraining(settings: settings, folder: interrupted.url.path, progress: ProgressReporter(enabled: false))
            .run(model: resumed, classifier: resumedHead, train: Self.corpus.train, validation: Self.corpus.validation)
        #expect(resumed.parameters.map(\.value) == warmed.parameters.map(\.value))
    }

    @Test func pretrainingBeatsChanceAndFineTuningLowersTheHeldOutEER() throws {
        let pretrainFolder = TemporaryDirectory(), finetuneFolder = TemporaryDirectory()
        let (model, head) = try Self.model()
        try SoftmaxPretraining(settings: Self.pretrainSettings(epochs: 20), folder: pretrainFolder.url.path, progress: ProgressReporter(enabled: false))
            .run(model: model, classifier: head, train: Self.corpus.train, validation: Self.corpus.validation)
        let (_, accuracy) = SoftmaxPretraining(settings: Self.pretrainSettings(epochs: 1), folder: pretrainFolder.url.path)
            .evaluate(model: model, classifier: head, data: Self.corpus.validation)
        print("pretraining validation accuracy \(accuracy) (chance 0.125)")
        #expect(accuracy >= 3 * 0.125, "validation accuracy \(accuracy) is not well above chance")

        var settings = TripletFinetuning.Settings()
        settings.optimizer = OptimizerSettings(kind: .sgd, learningRate: 1e-2, momentum: 0.9)
        settings.triplets = 12
        settings.steps = 200
        settings.evaluateEvery = 20
        settings.mining = .hard
        let pretrainedEER = try Embedding.equalErrorRate(model: model, data: Self.corpus.evaluation, trials: Self.corpus.trials)
        let best = try TripletFinetuning(settings: settings, folder: finetuneFolder.url.path, progress: ProgressReporter(enabled: false))
            .run(model: model, train: Self.corpus.train, evaluation: (Self.corpus.evaluation, Self.corpus.trials))
        print("held-out EER: pretrained \(pretrainedEER), best after triplet fine-tuning \(String(describing: best))")
        #expect(best.map { $0 < pretrainedEER } == true)
        #expect(FileManager.default.fileExists(atPath: finetuneFolder.path("best.safetensors")))
    }

    @Test func aNonFiniteLossStopsWithTheStepAndRate() throws {
        let folder = TemporaryDirectory()
        let (model, head) = try Self.model()
        var settings = Self.pretrainSettings(epochs: 1)
        settings.optimizer = OptimizerSettings(kind: .sgd, learningRate: 1e30, momentum: 0)
        #expect {
            try SoftmaxPretraining(settings: settings, folder: folder.url.path, progress: ProgressReporter(enabled: false))
                .run(model: model, classifier: head, train: Self.corpus.train, validation: nil)
        } throws: { "\($0)".contains("the loss became") && "\($0)".contains("learning rate 1e+30") }
    }
}

extension TrainingTests {
    @Test func additiveAngularMarginTrainingLowersItsLoss() throws {
        let folder = TemporaryDirectory()
        let (model, head) = try Self.model()
        var settings = Self.pretrainSettings(epochs: 6)
        settings.loss = .aam
        settings.aamScale = 16
        try SoftmaxPretraining(settings: settings, folder: folder.url.path, progress: ProgressReporter(enabled: false))
            .run(model: model, classifier: head, train: Self.corpus.train, validation: nil)
        let rows = try String(contentsOfFile: folder.path("history.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        let losses = rows.map { Double($0.split(separator: ",")[3])! }
        #expect(losses.count == 6)
        #expect(losses.last! < losses.first! * 0.8, "AAM losses \(losses)")
    }
}
