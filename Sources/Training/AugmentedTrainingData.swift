import Audio
import Dispatch
import Randomness
import Tensor

/// Training batches made from the voiced speech of each utterance at every step: a crop of a
/// length drawn per batch from a range (or the centre cut of a fixed length), augmented on the
/// fly (`WaveformAugmentation`), through the front end, then masked (`FeatureMasking`). Every
/// draw comes from a generator split from the seed by the step and the row, so a batch's bytes
/// are fixed by (seed, step, rows), whatever the thread count, and a resumed run sees the same.
public struct AugmentedTrainingData: TrainingBatches, Sendable {
    /// How a crop is taken.
    public enum Crop: Equatable, Sendable {
        /// The centre `seconds` (zero-padded when shorter), as the features stage cuts.
        case centre(seconds: Double)
        /// A random position, the length drawn per batch uniformly in the range (seconds).
        case random(seconds: ClosedRange<Double>)
    }

    /// Each utterance's voiced samples (±1 scale).
    public let speech: [[Float]]
    public let labels: [Int]
    /// Each utterance's speaker before speed perturbation made it a new class: babble leaves it out.
    public let speakers: [Int]
    public let ids: [String]
    public let crop: Crop
    /// Waveform augmentation (nil: none).
    public let augmentation: WaveformAugmentation?
    /// Masking after the features (nil: none).
    public let masking: FeatureMasking?
    public let bank: WaveformAugmentation.Bank
    public let settings: FeatureSettings
    public let seed: UInt64

    /// Creates the source; `speech`, `labels`, `ids` and `speakers` (nil: the labels) are parallel.
    public init(speech: [[Float]], labels: [Int], ids: [String], speakers: [Int]? = nil, crop: Crop, augmentation: WaveformAugmentation?, masking: FeatureMasking?,
                bank: WaveformAugmentation.Bank, settings: FeatureSettings, seed: UInt64) throws {
        guard !speech.isEmpty else { throw TrainingError("a training set needs at least one utterance") }
        guard speech.count == labels.count, labels.count == ids.count, (speakers?.count ?? labels.count) == labels.count else {
            throw TrainingError("speech, labels, speakers and ids differ in count")
        }
        self.speech = speech
        self.labels = labels
        self.speakers = speakers ?? labels
        self.ids = ids
        self.crop = crop
        self.augmentation = augmentation
        self.masking = masking
        self.bank = bank
        self.settings = settings
        self.seed = seed
    }

    public var count: Int { speech.count }

    /// The crop length in samples at this step.
    public func cropLength(step: Int) -> Int {
        switch crop {
        case let .centre(seconds):
            return Int(seconds * Double(settings.sampleRate))
        case let .random(range):
            var generator = SeededGenerator(seed: seed).split("crop length \(step)")
            return Int(Double.random(in: range, using: &generator) * Double(settings.sampleRate))
        }
    }

    /// One row's features at this step.
    public func features(row: Int, step: Int, length: Int, extractor: FeatureExtractor) -> FeatureMatrix {
        var generator = SeededGenerator(seed: seed).split("augment \(step) \(row)")
        let samples = speech[row]
        var cut: [Float]
        switch crop {
        case let .centre(seconds):
            cut = CutPad.seed(seconds: seconds).apply(samples, sampleRate: settings.sampleRate)
        case .random:
            if samples.count <= length {
                cut = samples + [Float](repeating: 0, count: length - samples.count)
            } else {
                let start = Int.random(in: 0...(samples.count - length), using: &generator)
                cut = Array(samples[start..<(start + length)])
            }
        }
        if let augmentation { cut = augmentation.apply(cut, speaker: speakers[row], bank: bank, using: &generator) }
        var matrix = extractor.normalisedFeatures(of: cut)
        masking?.apply(to: &matrix, using: &generator)
        return matrix
    }

    public func batch(_ rows: [Int], step: Int) -> Tensor {
        let length = cropLength(step: step)
        let workers = max(1, min(Parallel.threads, rows.count))
        let slots = UnsafeMutableBufferPointer<FeatureMatrix?>.allocate(capacity: rows.count)
        slots.initialize(repeating: nil)
        defer { slots.deallocate() }
        // Each worker takes every workers-th row with its own extractor (FFT plans are per thread).
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let extractor = FeatureExtractor(settings: settings)
            for index in stride(from: worker, to: rows.count, by: workers) {
                slots[index] = features(row: rows[index], step: step, length: length, extractor: extractor)
            }
        }
        let matrices = slots.map { $0! }
        var scalars: [Float] = []
        scalars.reserveCapacity(rows.count * matrices[0].values.count)
        for matrix in matrices { scalars += matrix.values }
        return Tensor(shape: [rows.count, matrices[0].frames, matrices[0].bands, 1], scalars: scalars)
    }
}
