import Datasets
import Metrics
import Randomness

/// A verification protocol: which trials the held-out embeddings are scored on.
public enum VerificationProtocol: Equatable, Sendable {
    /// Speaker-model trials: each speaker's model from `enrolment` utterances, every other test
    /// utterance scored against every model.
    case speakerModels(enrolment: Int)
    /// Pairwise trials: every same-speaker pair and a seeded sample of different-speaker pairs.
    case pairs(nontargetPairs: Int)
    /// The seed's membership scoring with 20 speakers enrolled (era A).
    case membershipEraA
    /// The seed's membership scoring with half the speakers enrolled (HEAD).
    case membershipHead

    var isSpeakerModels: Bool { if case .speakerModels = self { return true } else { return false } }
}

/// The held-out embeddings scored under a verification protocol, each trial labelled with the
/// speakers on both sides (for the speaker bootstrap) and with the ids `scores.csv` records.
public struct VerificationTrials: Sendable {
    /// Scores, labels and the speakers of each trial.
    public let labelled: SpeakerLabelledTrials
    /// Each trial's enrolment id (a speaker, an utterance, or `*` for all enrolled models) and test utterance.
    public let enrolments: [String], tests: [String]

    /// Scores the evaluation split's embeddings; trial lists are drawn from `seed`.
    public init(_ scoringProtocol: VerificationProtocol, evaluation: TrainingData, embeddings: [String: [Float]], seed: UInt64,
                normalisation: ScoreNormalisation? = nil) throws {
        let speakerOf = Dictionary(uniqueKeysWithValues: zip(evaluation.ids, evaluation.labels))
        let speakers = Set(evaluation.labels).sorted()
        let speakerIndex = Dictionary(uniqueKeysWithValues: speakers.enumerated().map { ($1, $0) })
        let utterances = zip(evaluation.ids, evaluation.labels).map { Utterance(id: $0, speaker: String(format: "%05d", $1), path: $0) }
        var scored: ScoredTrials
        var enrolmentSpeakers: [Int?]
        switch scoringProtocol {
        case .speakerModels, .pairs:
            let list = try Self.trialList(scoringProtocol, ids: evaluation.ids, labels: evaluation.labels, seed: seed)!
            scored = try Embedding.score(list, embeddings: embeddings, normalisation: normalisation)
            // Speaker-model enrolments are named by speaker; pairwise ones by utterance.
            enrolmentSpeakers = list.trials.map { trial in
                scoringProtocol.isSpeakerModels ? Int(trial.enrolment).flatMap { speakerIndex[$0] } : speakerOf[trial.enrolment].flatMap { speakerIndex[$0] }
            }
            enrolments = list.trials.map(\.enrolment)
            tests = list.trials.map(\.test)
        case .membershipEraA, .membershipHead:
            precondition(normalisation == nil, "the membership protocols score against every enrolled model; AS-norm is refused at plan time")
            // The seed's membership protocol (reference §5): enrolled speakers' models from
            // half their utterances; every other utterance scored (max cos + 1)/2 against them.
            let eraA = scoringProtocol == .membershipEraA
            let split = try SeedProtocols.membership(utterances, enrolled: eraA ? .count(min(20, speakers.count - 1)) : .fraction(0.5))
            let models = split.enrolledSpeakers.map { speaker in Scoring.mean(split.enrolment.filter { $0.speaker == speaker }.map { embeddings[$0.id]! }) }
            scored = try ScoredTrials(scores: split.tests.map { Scoring.membershipScore(embeddings[$0.utterance.id]!, models: models) },
                                      labels: split.tests.map(\.isMember))
            enrolmentSpeakers = split.tests.map { _ in nil }
            enrolments = split.tests.map { _ in "*" }
            tests = split.tests.map(\.utterance.id)
        }
        let testSpeakers = tests.map { speakerIndex[speakerOf[$0]!]! }
        labelled = SpeakerLabelledTrials(trials: scored, enrolmentSpeakers: enrolmentSpeakers, testSpeakers: testSpeakers, speakerCount: speakers.count)
    }

    /// The trial list of a speaker-model or pairwise protocol over utterances with these ids and
    /// speaker labels, drawn from `seed` (nil for the membership protocols, which score against
    /// every enrolled model). Speaker-model enrolments are named by the label, `%05d`.
    public static func trialList(_ scoringProtocol: VerificationProtocol, ids: [String], labels: [Int], seed: UInt64) throws -> TrialList? {
        let utterances = zip(ids, labels).map { Utterance(id: $0, speaker: String(format: "%05d", $1), path: $0) }
        var generator = SeededGenerator(seed: seed).split("trials")
        switch scoringProtocol {
        case let .speakerModels(enrolment): return try TrialList.speakerModels(utterances, enrolmentCount: enrolment, using: &generator)
        case let .pairs(nontargetPairs): return try TrialList.pairs(utterances, nonTargetPairs: nontargetPairs, using: &generator)
        case .membershipEraA, .membershipHead: return nil
        }
    }

}
