import Audio
import Dispatch
import Foundation
import Spec
import Tensor
import Training

/// Pretraining's batches under an `augment:` section: the voiced speech the augment stage kept
/// for the training utterances, speed-perturbed copies as new speakers, and the noise and room
/// bank, behind `AugmentedTrainingData`.
enum AugmentedTraining {
    /// The batches for `training` (its ids and class labels; `classes` of them).
    static func batches(_ augment: AugmentSpec, features: FeaturesSpec, bank folder: URL, training: TrainingData, classes: Int, seed: Int) throws -> AugmentedTrainingData {
        let settings = StageArtifacts.featureSettings(features)
        let stored = try RaggedArrays.read("speech", from: folder)
        let speechById = Dictionary(zip(stored.names, stored.arrays)) { first, _ in first }
        var speech: [[Float]] = try training.ids.map { id in
            guard let samples = speechById[id] else { throw TrainingError("the augment stage holds no speech for '\(id)'; run it again (speakerlab gc, then run)") }
            return samples
        }
        var labels = training.labels
        var speakers = training.labels
        var ids = training.ids
        let original = speech
        // Speed perturbation: a copy of every utterance per factor, its speaker a new class.
        for (position, factor) in augment.speed.enumerated() {
            let copies = UnsafeMutableBufferPointer<[Float]>.allocate(capacity: original.count)
            copies.initialize(repeating: [])
            defer { copies.deallocate() }
            let failure = FailureBox()
            DispatchQueue.concurrentPerform(iterations: original.count) { index in
                do { copies[index] = try SpeedPerturbation.apply(original[index], factor: factor, sampleRate: settings.sampleRate) }
                catch { failure.set("\(training.ids[index]): \(error)") }
            }
            if let message = failure.message { throw TrainingError("speed perturbation \(factor) failed: \(message)") }
            speech += Array(copies)
            labels += training.labels.map { $0 + (position + 1) * classes }
            speakers += training.labels
            ids += training.ids.map { "\($0)@speed\(factor)" }
        }
        let noises = try RaggedArrays.read("noises", from: folder).arrays
        let rooms = try RaggedArrays.read("rooms", from: folder).arrays
        let kinds = augment.noiseKinds.compactMap(WaveformAugmentation.NoiseKind.init(rawValue:))
        let waveform = augment.noise > 0 || augment.reverb > 0
            ? WaveformAugmentation(noiseProbability: augment.noise, noiseKinds: kinds, signalToNoise: augment.snr[0]...augment.snr[1], reverberationProbability: augment.reverb)
            : nil
        let masking = augment.timeMasks + augment.frequencyMasks > 0
            ? FeatureMasking(timeMasks: augment.timeMasks, timeWidth: augment.timeMaskFrames, frequencyMasks: augment.frequencyMasks, frequencyWidth: augment.frequencyMaskBands)
            : nil
        let crop: AugmentedTrainingData.Crop = augment.crop.map { .random(seconds: $0[0]...$0[1]) } ?? .centre(seconds: features.seconds)
        return try AugmentedTrainingData(speech: speech, labels: labels, ids: ids, speakers: speakers, crop: crop, augmentation: waveform, masking: masking,
                                         bank: .init(noises: noises, rooms: rooms, speech: original, speakers: training.labels),
                                         settings: settings, seed: UInt64(seed))
    }
}

/// The first error message several threads may report.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var message: String?
    func set(_ text: String) { lock.lock(); if message == nil { message = text }; lock.unlock() }
}
