import Audio
import Foundation
import Datasets
import Metrics
import Models
import NN
import Tensor

/// Embeddings in inference mode and the verification EER of held-out speakers.
public enum Embedding {
    /// One embedding per utterance, each its own forward pass (`ModelGraph.infer`), so an
    /// utterance's embedding is the same bytes whatever else is embedded with it; utterances run
    /// on the engine's threads at once, and the result does not depend on how many.
    public static func embed(model: ModelGraph, data: TrainingData) -> [[Float]] {
        embed(model: model, features: data.features)
    }

    /// One embedding per feature matrix, of any lengths, each its own forward pass (see above).
    public static func embed(model: ModelGraph, features: [FeatureMatrix]) -> [[Float]] {
        let results = EmbeddingSlots(count: features.count)
        let workers = min(Parallel.threads, features.count)
        guard workers > 0 else { return [] }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = results.next() {
                let matrix = features[index]
                results.store(model.infer(matrix.values, frames: matrix.frames, bands: matrix.bands), at: index)
            }
        }
        return results.values
    }

    /// Embeddings in batches of 64, for training-time uses (hard-triplet mining) where speed
    /// matters and batch-independent bytes do not.
    public static func embedBatches(model: ModelGraph, data: TrainingData) -> [[Float]] {
        var embeddings: [[Float]] = []
        var start = 0
        while start < data.count {
            let rows = Array(start..<min(data.count, start + 64))
            let tape = Tape()
            let output = model.embed(tape.constant(data.batch(rows)), tape: tape, mode: .inference).value
            tape.reset()
            let width = output.shape[1]
            for row in 0..<rows.count { embeddings.append(Array(output.scalars[(row * width)..<((row + 1) * width)])) }
            start += 64
        }
        return embeddings
    }

    /// Cosine scores of speaker-model trials: each enrolment's model is the mean of its
    /// embeddings (reference §5), each test utterance is scored against its claimed model;
    /// with a cohort, each score is AS-normalised against it.
    public static func score(_ trials: TrialList, embeddings: [String: [Float]], normalisation: ScoreNormalisation? = nil) throws -> ScoredTrials {
        var models: [String: [Float]] = [:]
        for (enrolment, ids) in trials.enrolments {
            let vectors = ids.compactMap { embeddings[$0] }
            guard !vectors.isEmpty else { throw TrainingError("enrolment '\(enrolment)' has no embedded utterance") }
            models[enrolment] = Scoring.mean(vectors)
        }
        var scores: [Double] = [], labels: [Bool] = []
        for trial in trials.trials {
            guard let enrolled = models[trial.enrolment], let test = embeddings[trial.test] else {
                throw TrainingError("trial \(trial.enrolment) vs \(trial.test) names an utterance that was not embedded")
            }
            let score = Double(Scoring.cosine(enrolled, test))
            scores.append(normalisation?.normalise(score, enrolment: trial.enrolment, enrolled, test: trial.test, test) ?? score)
            labels.append(trial.isTarget)
        }
        return try ScoredTrials(scores: scores, labels: labels)
    }

    /// The interpolated EER of speaker-model trials on the model's embeddings of `data`.
    public static func equalErrorRate(model: ModelGraph, data: TrainingData, trials: TrialList) throws -> Double {
        let embeddings = Dictionary(uniqueKeysWithValues: zip(data.ids, embed(model: model, data: data)))
        return EqualErrorRate(OperatingPoints(try score(trials, embeddings: embeddings))).rate
    }
}

/// Hands out utterance indices to worker threads and keeps each one's embedding.
final class EmbeddingSlots: @unchecked Sendable {
    private var slots: [[Float]]
    private var taken = 0
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard taken < slots.count else { return nil }
        taken += 1
        return taken - 1
    }

    func store(_ embedding: [Float], at index: Int) {
        lock.lock(); slots[index] = embedding; lock.unlock()
    }

    var values: [[Float]] { slots }
}
