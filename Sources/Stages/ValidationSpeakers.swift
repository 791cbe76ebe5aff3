import Datasets
import Randomness
import Spec
import Training

/// The training speakers held out of a training stage so that its checkpoint is chosen on
/// speakers it never trained on, and never on the test speakers: `count` of them, drawn by the
/// spec's seed from the training speakers a calibration hold-out leaves. Pretraining's
/// `select: eer` and fine-tuning's `select: eer` draw them here, so when both select on EER
/// they hold out the same speakers.
struct ValidationSpeakers: Codable, Hashable, Sendable {
    /// How many training speakers are held out.
    let count: Int
    /// The spec's seed, which draws them.
    let seed: Int

    /// The count when a spec does not give one.
    static let defaultCount = 8
    /// Different-speaker pairs drawn among the validation speakers' utterances.
    static let nonTargetPairs = 20_000

    /// Pretraining's validation speakers: with `select: eer`, else nil (it selects on a fraction
    /// of every training speaker's utterances).
    static func pretraining(_ spec: ExperimentSpec) -> ValidationSpeakers? {
        guard let pretrain = spec.pretrain, pretrain.select == .eer else { return nil }
        return ValidationSpeakers(count: pretrain.validationSpeakers ?? defaultCount, seed: spec.seed)
    }

    /// Fine-tuning's validation speakers: with `select: eer`, its own count, else pretraining's
    /// when pretraining selects on EER, else the default; nil for `last` and `test-speakers`.
    static func finetuning(_ spec: ExperimentSpec) -> ValidationSpeakers? {
        guard let finetune = spec.finetune, finetune.select == .eer else { return nil }
        let count = finetune.validationSpeakers ?? pretraining(spec)?.count ?? defaultCount
        return ValidationSpeakers(count: count, seed: spec.seed)
    }

    /// The utterances of the held-out speakers, and the rest to train on.
    func split(_ utterances: [Utterance]) throws -> (train: [Utterance], validation: [Utterance]) {
        var speakers = Set(utterances.map(\.speaker)).sorted()
        guard speakers.count >= count + 2 else {
            throw TrainingError("validation_speakers holds out \(count) of \(speakers.count) training speakers, which leaves fewer than two to train on; hold out fewer")
        }
        var generator = SeededGenerator(seed: UInt64(seed)).split("validation speakers")
        speakers.shuffle(using: &generator)
        let held = Set(speakers.prefix(count))
        return (utterances.filter { !held.contains($0.speaker) }, utterances.filter { held.contains($0.speaker) })
    }

    /// A loaded training set split the same way: the held-out speakers' utterances and the rest.
    func split(_ data: TrainingData) throws -> (train: TrainingData, validation: TrainingData) {
        let utterances = zip(data.ids, data.labels).map { Utterance(id: $0, speaker: String($1), path: $0) }
        let (train, validation) = try split(utterances)
        let index = Dictionary(uniqueKeysWithValues: data.ids.enumerated().map { ($1, $0) })
        func subset(_ list: [Utterance]) throws -> TrainingData {
            let rows = list.compactMap { index[$0.id] }
            return try TrainingData(features: rows.map { data.features[$0] }, labels: rows.map { data.labels[$0] }, ids: rows.map { data.ids[$0] })
        }
        return (try subset(train), try subset(validation))
    }

    /// The validation trials: every same-speaker pair of the held-out utterances and a seeded
    /// sample of different-speaker pairs.
    static func trials(_ validation: TrainingData, seed: Int) throws -> TrialList {
        var generator = SeededGenerator(seed: UInt64(seed)).split("validation trials")
        let listed = zip(validation.ids, validation.labels).map { Utterance(id: $0, speaker: String($1), path: $0) }
        return try TrialList.pairs(listed, nonTargetPairs: nonTargetPairs, using: &generator)
    }
}
