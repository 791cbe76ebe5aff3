import Datasets
import Spec

/// The plan-time check that the held-out speakers can make the trials the spec asks for: how many
/// test speakers there are and how many utterances each has is known before anything runs (the
/// synthetic corpus's shape, or the corpus listing), so "speaker x has 3 utterances; trials need
/// more than the 3 enrolled" is a plan error, not a failure after training.
enum TrialPlanCheck {
    /// Utterances per held-out speaker, by speaker: the synthetic corpus's shape, or the corpus's
    /// utterances on disk.
    static func testCounts(_ dataset: DatasetSpec, utterances: [Utterance]?) -> [String: Int] {
        guard let utterances else {
            let held = Int((Double(dataset.speakers) * dataset.testFraction).rounded())
            return Dictionary(uniqueKeysWithValues: (0..<held).map { ("synthetic speaker \($0 + 1)", dataset.utterances) })
        }
        return Dictionary(grouping: utterances.filter { $0.split == "test" }, by: \.speaker).mapValues(\.count)
    }

    /// Refuses a spec whose held-out speakers cannot make its trials, at the key to change.
    static func check(_ spec: ExperimentSpec, utterances: [Utterance]?, resolved: ResolvedSpec, specPath: String,
                      available: Double = ModelBudget.availableBytes) throws {
        let counts = testCounts(spec.dataset, utterances: utterances)
        let key = spec.dataset.kind == .synthetic ? "dataset.test_fraction" : "dataset.root"
        guard counts.count >= 2 else {
            throw resolved.error(at: key, file: specPath, "the corpus holds out \(counts.count) test speaker(s); evaluation needs at least two (raise dataset.test_fraction or add speakers)")
        }
        if spec.evaluate.tasks.contains(.sv), spec.evaluate.protocol == .trials, let (speaker, count) = counts.min(by: { ($0.value, $0.key) < ($1.value, $1.key) }), count <= spec.evaluate.enrolment {
            throw resolved.error(at: "evaluate.enrolment", file: specPath,
                                 "\(speaker) has \(count) utterance(s); trials need more than the \(spec.evaluate.enrolment) enrolled; lower evaluate.enrolment below \(count)\(spec.dataset.kind == .synthetic ? " or raise dataset.utterances" : " or drop the speaker")")
        }
        if spec.evaluate.tasks.contains(.sv), spec.evaluate.protocol == .pairs {
            // Every drawn pair is held as a trial, a score and a line of scores.csv: about 200 bytes.
            let bytes = 200 * Double(spec.evaluate.nontargetPairs)
            guard bytes <= available else {
                throw resolved.error(at: "evaluate.nontarget_pairs", file: specPath,
                                     "\(spec.evaluate.nontargetPairs) pairs need about \(Int(bytes / Double(1 << 30))) GiB, more than this process may use; draw fewer")
            }
        }
        if spec.evaluate.tasks.contains(.sv), spec.evaluate.protocol == .pairs, let (speaker, count) = counts.min(by: { ($0.value, $0.key) < ($1.value, $1.key) }), count < 2 {
            throw resolved.error(at: "evaluate.protocol", file: specPath, "\(speaker) has \(count) utterance; pairwise trials need two per speaker")
        }
        if spec.evaluate.scoreNorm == .asNorm, [.membershipEraA, .membershipHead].contains(spec.evaluate.protocol) {
            throw resolved.error(at: "evaluate.score_norm", file: specPath, "the membership protocols score each test against every enrolled model at once; AS-norm applies to the trials and pairs protocols")
        }
        // The calibration speakers come out of training; at least two must stay to train on.
        let training = utterances.map { Set($0.filter { $0.split == "train" }.map(\.speaker)).count }
            ?? spec.dataset.speakers - Int((Double(spec.dataset.speakers) * spec.dataset.testFraction).rounded())
        if let pretrain = spec.pretrain, pretrain.select == .eer {
            // So do select: eer's validation speakers, out of what calibration leaves.
            let held = pretrain.validationSpeakers ?? 8, left = training - (spec.calibrate?.speakers ?? 0)
            guard left >= held + 2 else {
                throw resolved.error(at: pretrain.validationSpeakers == nil ? "pretrain.select" : "pretrain.validation_speakers", file: specPath,
                                     "select: eer holds out \(held) of the \(left) training speakers\(spec.calibrate == nil ? "" : " calibration leaves"), which leaves fewer than two to train on; set pretrain.validation_speakers to at most \(max(2, left - 2)), or select: validation-loss")
            }
        }
        if let calibrate = spec.calibrate {
            guard training >= calibrate.speakers + 2 else {
                throw resolved.error(at: "calibrate.speakers", file: specPath,
                                     "the corpus has \(training) training speakers; holding out \(calibrate.speakers) for calibration leaves fewer than two to train on; hold out at most \(max(0, training - 2))")
            }
            let fewest = utterances.map { Dictionary(grouping: $0.filter { $0.split == "train" }, by: \.speaker).values.map(\.count).min() ?? 0 } ?? spec.dataset.utterances
            guard fewest > calibrate.enrolment else {
                throw resolved.error(at: "calibrate.enrolment", file: specPath,
                                     "a training speaker has \(fewest) utterance(s); calibration trials need more than the \(calibrate.enrolment) enrolled; lower calibrate.enrolment")
            }
        }
        if let finetune = spec.finetune, let validation = ValidationSpeakers.finetuning(spec) {
            // And fine-tuning's, likewise.
            let left = training - (spec.calibrate?.speakers ?? 0)
            guard left >= validation.count + 2 else {
                throw resolved.error(at: finetune.validationSpeakers == nil ? "finetune.select" : "finetune.validation_speakers", file: specPath,
                                     "finetune.select: eer holds out \(validation.count) of the \(left) training speakers\(spec.calibrate == nil ? "" : " calibration leaves"), which leaves fewer than two to fine-tune on; set finetune.validation_speakers to at most \(max(2, left - 2)), or select: last")
            }
        }
    }
}
