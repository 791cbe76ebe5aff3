import Foundation
import Testing

/// Category "settings that mean nothing": a spec that would be accepted and train nothing, or
/// whose option another key makes ignored, or whose range depends on another key. Each is
/// refused at plan time at its line, with the fix, before anything is written.
@Suite struct MeaninglessSettingsCases {
    static let cases: [(text: String, message: String)] = [
        ("pretrain: {validation_speakers: 4}\n", "bad.yaml:1:33: error: validation_speakers is only used with pretrain.select: eer"),
        ("pretrain: {}\nfinetune: {select: last, validation_speakers: 4}\n", "validation_speakers is only used with finetune.select: eer (it is last)"),
        ("evaluate: {cohort_top: 5}\n", "cohort_top is only used with evaluate.score_norm: as-norm"),
        ("evaluate: {nontarget_pairs: 50}\n", "nontarget_pairs is only used with evaluate.protocol: pairs"),
        ("pretrain: {epochs: 3, warmup: 3}\n", "a warm-up of 3 epochs does not end within the 3 epochs of pretraining"),
        ("pretrain: {epochs: 3, loss: aam, aam_margin_warmup: 5}\n", "a warm-up of 5 epochs does not end within the 3 epochs"),
        ("pretrain: {epochs: 3, average_last: 4}\n", "average_last 4 needs 4 epochs of snapshots"),
        ("pretrain: {}\nfinetune: {steps: 10, evaluate_every: 5, average_last: 3}\n", "fine-tuning makes 2"),
        ("pretrain: {epochs: 3, freeze: [conv], freeze_for: 3}\n", "freeze_for 3 lasts the whole of pretrain.epochs 3"),
        ("pretrain: {freeze: ['*']}\n", "holds every layer with weights fixed for the whole stage, so nothing would train"),
        ("pretrain: {}\naugment: {speed: [1.0]}\n", "a speed factor of 1 copies every utterance unchanged"),
        ("pretrain: {}\naugment: {speed: [0.9, 1.1, 0.9]}\n", "the speed factor 0.9 is listed twice"),
        ("pretrain: {}\naugment: {frequency_mask_bands: 40}\n", "can cover all 40 bands"),
        ("pretrain: {}\naugment: {time_masks: 1, time_mask_frames: 5000}\n", "a time mask of up to 5000 frames can cover all"),
        ("pretrain: {}\naugment: {noise_kinds: [coloured], noise_folder: Experiments}\n", "noise_folder is only read when augment.noise_kinds names folder"),
        ("model: {blocks: [1, 1]}\n", "model.blocks lists 2 count(s) and this graph has 4 repeat(s)"),
        ("pretrain: {}\nfinetune: {validation_speakers: 40}\n", "finetune.select: eer holds out 40 of the"),
    ]

    @Test(arguments: cases)
    func aSettingThatMeansNothingIsRefusedAtPlanTime(text: String, message: String) throws {
        try SpecFileCases.refusedAtPlan(text, message)
    }
}
