import Foundation
import Testing
import TestSupport
@testable import Audio
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

    @Test func augmentationChangesTheFeatures() throws {
        var plain = try Self.source(seed: 4)
        let clean = try AugmentedTrainingData(speech: plain.speech, labels: plain.labels, ids: plain.ids, crop: plain.crop, augmentation: nil, masking: nil,
                                              bank: plain.bank, settings: plain.settings, seed: 4)
        plain = try Self.source(seed: 4)
        #expect(Self.bytes(plain.batch([0, 1, 2, 3, 4, 5], step: 1)) != Self.bytes(clean.batch([0, 1, 2, 3, 4, 5], step: 1)))
    }
}
