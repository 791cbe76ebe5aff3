import Diagnostics
import Foundation
import Spec

/// Plan-time refusals of settings that would be accepted and mean nothing: options that another
/// key makes ignored, ranges that depend on other keys (bands, frames, epochs, evaluations), and
/// combinations that cannot train. Each is a located error with the fix, before any stage runs.
enum SettingsCheck {
    /// Checks a spec; `resolved` locates the keys and tells which ones were given.
    static func check(_ spec: ExperimentSpec, resolved: ResolvedSpec, specPath: String) throws {
        func given(_ key: String) -> Bool { resolved.places[key] != nil }
        func refuse(_ key: String, _ message: String) -> Diagnostic { resolved.error(at: key, file: specPath, message) }
        // Options another key makes ignored.
        if let pretrain = spec.pretrain, pretrain.validationSpeakers != nil, pretrain.select != .eer {
            throw refuse("pretrain.validation_speakers", "validation_speakers is only used with pretrain.select: eer; set select: eer, or remove validation_speakers")
        }
        if let finetune = spec.finetune, finetune.validationSpeakers != nil, finetune.select != .eer {
            throw refuse("finetune.validation_speakers", "validation_speakers is only used with finetune.select: eer (it is \(finetune.select.rawValue)); set select: eer, or remove validation_speakers")
        }
        if spec.evaluate.cohortTop != nil, spec.evaluate.scoreNorm != .asNorm {
            throw refuse("evaluate.cohort_top", "cohort_top is only used with evaluate.score_norm: as-norm; set score_norm: as-norm, or remove cohort_top")
        }
        if given("evaluate.nontarget_pairs"), spec.evaluate.protocol != .pairs {
            throw refuse("evaluate.nontarget_pairs", "nontarget_pairs is only used with evaluate.protocol: pairs (it is \(spec.evaluate.protocol.rawValue)); set protocol: pairs, or remove nontarget_pairs")
        }
        // Ranges that depend on other keys.
        if let pretrain = spec.pretrain {
            for (key, value) in [("pretrain.warmup", pretrain.warmup), ("pretrain.aam_margin_warmup", pretrain.aamMarginWarmup)] {
                if let value, value >= pretrain.epochs {
                    throw refuse(key, "a warm-up of \(value) epochs does not end within the \(pretrain.epochs) epochs of pretraining; make it shorter than pretrain.epochs")
                }
            }
            if pretrain.freeze != nil, let freezeFor = pretrain.freezeFor, freezeFor >= pretrain.epochs {
                throw refuse("pretrain.freeze_for", "freeze_for \(freezeFor) lasts the whole of pretrain.epochs \(pretrain.epochs); make it shorter, or remove freeze_for to freeze for the whole stage")
            }
            if let average = pretrain.averageLast, average > pretrain.epochs {
                throw refuse("pretrain.average_last", "average_last \(average) needs \(average) epochs of snapshots and pretraining runs \(pretrain.epochs); make it at most \(pretrain.epochs)")
            }
        }
        if let finetune = spec.finetune {
            let evaluations = finetune.steps / finetune.evaluateEvery + (finetune.steps % finetune.evaluateEvery == 0 ? 0 : 1)
            if let average = finetune.averageLast, average > evaluations {
                throw refuse("finetune.average_last", "average_last \(average) needs \(average) snapshots and fine-tuning makes \(evaluations) (one every evaluate_every \(finetune.evaluateEvery) of \(finetune.steps) steps); make it at most \(evaluations)")
            }
            if finetune.freeze != nil, let freezeFor = finetune.freezeFor, freezeFor >= finetune.steps {
                throw refuse("finetune.freeze_for", "freeze_for \(freezeFor) lasts the whole of finetune.steps \(finetune.steps); make it shorter, or remove freeze_for to freeze for the whole stage")
            }
        }
        if let augment = spec.augment {
            let speeds = augment.speed
            if let one = speeds.firstIndex(where: { abs($0 - 1) < 1e-9 }) {
                throw refuse("augment.speed.\(one)", "a speed factor of 1 copies every utterance unchanged as a new speaker; list only factors other than 1 (e.g. [0.9, 1.1])")
            }
            if let repeated = speeds.indices.first(where: { index in speeds[..<index].contains { abs($0 - speeds[index]) < 1e-9 } }) {
                throw refuse("augment.speed.\(repeated)", "the speed factor \(speeds[repeated]) is listed twice, which makes identical copies into different speakers; list each factor once")
            }
            if augment.frequencyMasks > 0, augment.frequencyMaskBands >= spec.features.bands {
                throw refuse("augment.frequency_mask_bands", "a frequency mask of up to \(augment.frequencyMaskBands) bands can cover all \(spec.features.bands) bands of features.bands; make it less than \(spec.features.bands)")
            }
            let shortest = augment.crop?.min() ?? spec.features.seconds
            var cut = spec.features
            cut.seconds = shortest
            let frames = ModelBudget.featureShape(cut).frames
            if augment.timeMasks > 0, augment.timeMaskFrames >= frames {
                throw refuse("augment.time_mask_frames", "a time mask of up to \(augment.timeMaskFrames) frames can cover all \(frames) frames of the shortest crop (\(shortest) s); make it less than \(frames)")
            }
        }
    }
}
