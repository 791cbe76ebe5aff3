import Audio
import Datasets
import Metrics
import Randomness

/// The untrained reference every model must beat: an utterance's embedding is the mean over
/// its frames of the per-frame-normalised log-mel features; trials are scored by cosine.
public enum MeanLogMelBaseline {
    /// Mean feature vector per utterance (frames after VAD only; no padding to dilute it).
    public static func embeddings(_ utterances: [Utterance], settings: FeatureSettings, threads: Int) throws -> [String: [Float]] {
        var unpadded = settings
        unpadded.cutPad = .none
        let results = ParallelFeatureExtraction.run(paths: utterances.map(\.path), settings: unpadded, threads: threads)
        var embeddings: [String: [Float]] = [:]
        var failures: [String] = []
        for (utterance, result) in zip(utterances, results) {
            switch result {
            case let .success(features):
                var mean = [Float](repeating: 0, count: features.bands)
                for frame in 0..<features.frames {
                    for band in 0..<features.bands { mean[band] += features[frame, band] }
                }
                embeddings[utterance.id] = mean.map { $0 / Float(features.frames) }
            case let .failure(error):
                failures.append("\(error)")
            }
        }
        guard failures.isEmpty else { throw DatasetError(failures.joined(separator: "\n")) }
        return embeddings
    }

    /// The baseline's EER on the standard speaker-model trials of `utterances`.
    public static func equalErrorRate(_ utterances: [Utterance], settings: FeatureSettings, enrolmentCount: Int = 3, threads: Int) throws -> Double {
        var generator = SeededGenerator(seed: 0)
        let trials = try TrialList.speakerModels(utterances, enrolmentCount: enrolmentCount, using: &generator)
        let scored = try Embedding.score(trials, embeddings: embeddings(utterances, settings: settings, threads: threads))
        return EqualErrorRate(OperatingPoints(scored)).rate
    }
}
