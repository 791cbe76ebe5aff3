import Datasets
import Metrics

/// The seed's closed-set identification protocol: each held-out speaker's utterances sorted by
/// name, the first half enrol (their mean embedding is the speaker's model), every other
/// utterance is identified by cosine against all models; hits at top 1 and top 5.
public struct SpeakerIdentification: Sendable {
    /// The identified utterances, with their speaker's index among the evaluation speakers.
    public let tests: [String], testSpeakers: [Int]
    /// Whether the true speaker was among the best `k` models, per test utterance, for k = 1 and 5.
    public let top1: [Bool], top5: [Bool]

    /// Runs the protocol on the evaluation split's embeddings.
    public init(evaluation: TrainingData, embeddings: [String: [Float]]) {
        let speakers = Set(evaluation.labels).sorted()
        let speakerIndex = Dictionary(uniqueKeysWithValues: speakers.enumerated().map { ($1, $0) })
        let utterances = zip(evaluation.ids, evaluation.labels).map { Utterance(id: $0, speaker: String(format: "%05d", $1), path: $0) }
        let split = SeedProtocols.perSpeakerSplit(utterances, ratio: 0.5)
        let enrolled = Set(split.enrolment.map(\.speaker)).sorted()
        let models = enrolled.map { speaker in Scoring.mean(split.enrolment.filter { $0.speaker == speaker }.map { embeddings[$0.id]! }) }
        var scores: [Float] = []
        for test in split.test { scores += models.map { Scoring.cosine(embeddings[test.id]!, $0) } }
        let modelIndex = Dictionary(uniqueKeysWithValues: enrolled.enumerated().map { ($1, $0) })
        let truth = split.test.map { modelIndex[$0.speaker]! }
        tests = split.test.map(\.id)
        testSpeakers = split.test.map { speakerIndex[Int($0.speaker)!]! }
        top1 = identificationHits(scores: scores, speakerCount: enrolled.count, truth: truth, topK: 1)
        top5 = identificationHits(scores: scores, speakerCount: enrolled.count, truth: truth, topK: 5)
    }
}
