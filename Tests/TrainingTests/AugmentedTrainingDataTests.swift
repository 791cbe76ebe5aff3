import Foundation
import Testing
import TestSupport
@testable import Audio
import Datasets
import Models
import NN
import Randomness
import Tensor
@testable import Training

/// On-the-fly augmentation: a batch is a function of (seed, step, rows) alone.
@Suite(.serialized) struct AugmentedTrainingDataTests {
    /// Six utterances of three "speakers" (tones of different pitch, 1.5–3 s), a noise recording
    /// and two simulated rooms.
    static func source(seed: UInt64, crop: AugmentedTrainingData.Crop = .random(seconds: 1.0...2.0)) throws -> AugmentedTrainingData {
        var generator = SeededGenerator(seed: 77)
        let speech: [[Float]] = (0..<6).map { index in
            let length = 24000 + index * 4000
            let pitch = 120.0 + Double(index / 2) * 60
            return (0..<length).map { Float(sin(2 * Double.pi * pitch * Double($0) / 16000) * 0.3) + Float.random(in: -0.01...0.01, using: &generator) }
        }
        let labels = [0, 0, 1, 1, 2, 2]
        let rooms = [ImageMethodRoom.random(using: &generator), ImageMethodRoom.random(using: &generator)].map { $0.impulseResponse(sampleRate: 16000, seconds: 0.3) }
        let noise = NoiseColour.brown.samples(20000, using: &generator)
        let augmentation = WaveformAugmentation(noiseProbability: 0.8, noiseKinds: [.coloured, .babble, .folder], signalToNoise: 0...15, reverberationProbability: 0.5)
        return try AugmentedTrainingData(speech: speech, labels: labels, ids: (0..<6).map { "u\($0)" }, crop: crop, augmentation: augmentation,
                                         masking: FeatureMasking(timeMasks: 1, timeWidth: 10, frequencyMasks: 1, frequencyWidth: 4),
                                         bank: .init(noises: [noise], rooms: rooms, speech: speech, speakers: labels),
                                         settings: FeatureSettings(voiceDecision: nil), seed: seed)
    }

    static func bytes(_ tensor: Tensor) -> [UInt32] { tensor.scalars.map(\.bitPattern) }

    @Test func theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws {
        let rows = [0, 3, 5, 1]
        let first = try Self.source(seed: 11).batch(rows, step: 7)
        let again = try Self.source(seed: 11).batch(rows, step: 7)
        let other = try Self.source(seed: 12).batch(rows, step: 7)
        #expect(Self.bytes(first) == Self.bytes(again))
        #expect(first.shape == again.shape)
        #expect(first.shape != other.shape || Self.bytes(first) != Self.bytes(other))
        // Another step draws other crops and augmentations.
        let later = try Self.source(seed: 11).batch(rows, step: 8)
        #expect(first.shape != later.shape || Self.bytes(first) != Self.bytes(later))
    }

    @Test func aBatchDoesNotDependOnTheThreadCountOrItsCompanions() throws {
        let source = try Self.source(seed: 5)
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 1
        let single = source.batch([2, 4, 0], step: 3)
        Parallel.threads = 2
        let double = source.batch([2, 4, 0], step: 3)
        #expect(Self.bytes(single) == Self.bytes(double))
        // Row 4 alone at the same step: the same bytes as its slice of the batch.
        let alone = source.batch([4], step: 3)
        let size = alone.scalars.count
        #expect(Self.bytes(alone) == Array(Self.bytes(single)[size..<(2 * size)]))
    }

    @Test func cropLengthsStayInTheirRangeAndVary() throws {
        let source = try Self.source(seed: 2)
        let lengths = (0..<40).map { source.cropLength(step: $0) }
        #expect(lengths.allSatisfy { $0 >= 16000 && $0 <= 32000 })
        #expect(Set(lengths).count > 30)
        let batch = source.batch([0, 1], step: 0)
        #expect(batch.shape == [2, FeatureExtractor(settings: source.settings).frameCount(sampleCount: lengths[0]), 40, 1])
        // The centre crop is the features stage's cut, whatever the step.
        let centre = try Self.source(seed: 2, crop: .centre(seconds: 1.5))
        #expect(centre.cropLength(step: 0) == 24000 && centre.cropLength(step: 9) == 24000)
    }

    @Test func anAugmentedRunInterruptedMidEpochResumesToTheSameWeights() throws {
        let folder = TemporaryDirectory()
        let utterances = try SyntheticCorpus(speakers: 8, utterancesPerSpeaker: 5, testFraction: 0.25, seed: 4).write(to: folder.url.path).filter { $0.split == "train" }
        let settings = FeatureSettings(voiceDecision: .adaptive(aggressiveness: 1), cutPad: .seed(seconds: 0.6))
        let speech = ParallelFeatureExtraction.voicedSamples(paths: utterances.map(\.path), settings: settings, threads: 2).map { try! $0.get() }
        let speakers = Set(utterances.map(\.speaker)).sorted()
        let labels = utterances.map { speakers.firstIndex(of: $0.speaker)! }
        var generator = SeededGenerator(seed: 6)
        let rooms = [ImageMethodRoom.random(using: &generator).impulseResponse(sampleRate: 16000, seconds: 0.2)]
        let data = try AugmentedTrainingData(
            speech: speech, labels: labels, ids: utterances.map(\.id), crop: .random(seconds: 0.6...0.6),
            augmentation: WaveformAugmentation(noiseProbability: 0.7, noiseKinds: [.coloured, .babble], signalToNoise: 0...15, reverberationProbability: 0.5),
            masking: FeatureMasking(timeMasks: 1, timeWidth: 8, frequencyMasks: 1, frequencyWidth: 4),
            bank: .init(noises: [], rooms: rooms, speech: speech, speakers: labels), settings: settings, seed: 21)
        func network(_ seed: UInt64) throws -> (ModelGraph, Dense) {
            let model = try ModelGraph(file: Fixtures.repositoryRoot.appendingPathComponent("Experiments/models/deepspeaker.yaml").path,
                                       input: [59, 40, 1], width: 0.25, depths: [1, 1, 1, 1], seed: 3, batchNormMomentum: 0.9)
            var generator = SeededGenerator(seed: seed)
            return (model, Dense(name: "softmax", inputs: model.embeddingSize, outputs: speakers.count, using: &generator))
        }
        var training = SoftmaxPretraining.Settings()
        training.optimizer = OptimizerSettings(kind: .adam, learningRate: 1e-3)
        training.batchSize = 8
        training.epochs = 2
        training.earlyStoppingPatience = nil
        training.saveEverySteps = 1
        let whole = TemporaryDirectory(), broken = TemporaryDirectory()
        let (reference, referenceHead) = try network(3)
        try SoftmaxPretraining(settings: training, folder: whole.url.path, progress: ProgressReporter(enabled: false))
            .run(model: reference, classifier: referenceHead, train: data, validation: nil)
        let (first, firstHead) = try network(3)
        let outcome = try SoftmaxPretraining(settings: training, folder: broken.url.path, progress: ProgressReporter(enabled: false))
            .run(model: first, classifier: firstHead, train: data, validation: nil, stopAfterSteps: 4)
        #expect(outcome == .interrupted(step: 4))
        let (resumed, resumedHead) = try network(99)
        try SoftmaxPretraining(settings: training, folder: broken.url.path, progress: ProgressReporter(enabled: false))
            .run(model: resumed, classifier: resumedHead, train: data, validation: nil)
        #expect(resumed.parameters.map(\.value) == reference.parameters.map(\.value))
        #expect(resumedHead.weight.value == referenceHead.weight.value)
    }

    @Test func augmentationChangesTheFeatures() throws {
        var plain = try Self.source(seed: 4)
        let clean = try AugmentedTrainingData(speech: plain.speech, labels: plain.labels, ids: plain.ids, crop: plain.crop, augmentation: nil, masking: nil,
                                              bank: plain.bank, settings: plain.settings, seed: 4)
        plain = try Self.source(seed: 4)
        #expect(Self.bytes(plain.batch([0, 1, 2, 3, 4, 5], step: 1)) != Self.bytes(clean.batch([0, 1, 2, 3, 4, 5], step: 1)))
    }
}
