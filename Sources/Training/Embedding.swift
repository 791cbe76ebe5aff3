import Datasets
import Metrics
import Models
import NN
import Tensor

/// Embeddings in inference mode and the verification EER of held-out speakers.
public enum Embedding {
    /// One embedding per utterance, in batches of 64.
    public static func embed(model: ModelGraph, data: TrainingData) -> [[Float]] {
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

    /// The interpolated EER of speaker-model trials (mean of the enrolment embeddings, cosine scores).
    public static func equalErrorRate(model: ModelGraph, data: TrainingData, trials: TrialList) throws -> Double {
        let vectors = embed(model: model, data: data)
        let byId = Dictionary(uniqueKeysWithValues: zip(data.ids, vectors))
        var models: [String: [Float]] = [:]
        for (enrolment, ids) in trials.enrolments { models[enrolment] = Scoring.mean(ids.compactMap { byId[$0] }) }
        var scores: [Double] = [], labels: [Bool] = []
        for trial in trials.trials {
            guard let enrolled = models[trial.enrolment], let test = byId[trial.test] else {
                throw TrainingError("trial \(trial.enrolment) vs \(trial.test) names an utterance outside the evaluation set")
            }
            scores.append(Double(Scoring.cosine(enrolled, test)))
            labels.append(trial.isTarget)
        }
        return EqualErrorRate(OperatingPoints(try ScoredTrials(scores: scores, labels: labels))).rate
    }
}
