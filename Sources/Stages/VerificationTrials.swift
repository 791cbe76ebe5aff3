import Datasets
import Foundation
import Metrics
import Pipeline
import Randomness
import Reports
import Training

/// The evaluate stage's verification trials under each protocol, scored and labelled with the
/// speakers on both sides (for the speaker bootstrap) and with the ids `scores.csv` records.
struct VerificationTrials {
    /// Scores, labels and the speakers of each trial.
    let labelled: SpeakerLabelledTrials
    /// Each trial's enrolment id (a speaker, an utterance, or `*` for all enrolled models) and test utterance.
    let enrolments: [String], tests: [String]

    /// Scores the test split's embeddings under `evaluate.protocol`.
    init(spec: CanonicalValue, evaluation: TrainingData, embeddings: [String: [Float]]) throws {
        let section = spec["evaluate"]!
        let protocolName = section["protocol"]!.string!
        let seed = UInt64(spec["seed"]!.int!)
        let speakerOf = Dictionary(uniqueKeysWithValues: zip(evaluation.ids, evaluation.labels))
        let speakers = Set(evaluation.labels).sorted()
        let speakerIndex = Dictionary(uniqueKeysWithValues: speakers.enumerated().map { ($1, $0) })
        let utterances = zip(evaluation.ids, evaluation.labels).map { Utterance(id: $0, speaker: String(format: "%05d", $1), path: $0) }
        var scored: ScoredTrials
        var enrolmentSpeakers: [Int?]
        switch protocolName {
        case "trials", "pairs":
            var generator = SeededGenerator(seed: seed).split("trials")
            let list = protocolName == "trials"
                ? try TrialList.speakerModels(utterances, enrolmentCount: section["enrolment"]!.int!, using: &generator)
                : try TrialList.pairs(utterances, nonTargetPairs: section["nontarget_pairs"]!.int!, using: &generator)
            scored = try Embedding.score(list, embeddings: embeddings)
            // Speaker-model enrolments are named by speaker; pairwise ones by utterance.
            enrolmentSpeakers = list.trials.map { trial in
                protocolName == "trials" ? Int(trial.enrolment).flatMap { speakerIndex[$0] } : speakerOf[trial.enrolment].flatMap { speakerIndex[$0] }
            }
            enrolments = list.trials.map(\.enrolment)
            tests = list.trials.map(\.test)
        default:
            // The seed's membership protocol (reference §5): enrolled speakers' models from
            // half their utterances; every other utterance scored (max cos + 1)/2 against them.
            let eraA = protocolName == "membership-era-a"
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

    /// `scores.csv`: one row per trial with its ids, speakers, label and score.
    var csv: String {
        var lines = ["enrol,test,enrol_speaker,test_speaker,label,score"]
        lines.reserveCapacity(tests.count + 1)
        for i in tests.indices {
            let enrolled = labelled.enrolmentSpeakers[i].map(String.init) ?? "*"
            lines.append("\(CSV.escape(enrolments[i])),\(CSV.escape(tests[i])),\(enrolled),\(labelled.testSpeakers[i]),\(labelled.trials.labels[i] ? 1 : 0),\(labelled.trials.scores[i])")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
