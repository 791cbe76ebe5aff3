import Datasets
import Foundation
import Pipeline
import Randomness
import Spec
import Tensor
import Training

/// Triplet fine-tuning of the pretrained network (or of a fresh one when there is no
/// pretraining), keeping the checkpoint with the best held-out EER.
enum FinetuneStage: StageDefinition {
    struct Parameters: Codable, Hashable, Sendable {
        let finetune: FinetuneSpec
        let model: ModelParameters
        let seed: Int
        /// The held-out trials' enrolment count (the EER that picks the checkpoint).
        let enrolment: Int
        let numerics: NumericsParameters?
        /// The training speakers a calibrate stage holds out (nil: none).
        let holdout: CalibrationHoldout?
    }

    static let kind = "finetune"
    /// The engine's numerics version and the stage's own (1: held-out EER on embeddings made one
    /// utterance to a forward pass; 2: last.safetensors, and averaged.safetensors with average_last).
    static let codeVersion = ExperimentPlan.engineVersion * 1000 + 2

    /// The training loop's settings for a `finetune:` section: the fine-tuning learning rate's
    /// path is `FinetuneSpec.optimizer` → `StageArtifacts.optimizerSettings` → `OptimizerSettings.make()`.
    static func settings(_ section: FinetuneSpec, seed: Int) -> TripletFinetuning.Settings {
        var settings = TripletFinetuning.Settings()
        settings.optimizer = StageArtifacts.optimizerSettings(section.optimizer)
        settings.triplets = section.triplets
        settings.margin = section.margin
        settings.reduction = section.reduction == .mean ? .mean : .sum
        settings.mining = section.mining == .hard ? .hard : .random
        settings.candidates = section.candidates
        settings.perAnchor = section.perAnchor
        settings.steps = section.steps
        settings.evaluateEvery = section.evaluateEvery
        settings.l2 = section.l2
        settings.seed = UInt64(seed)
        settings.freeze = section.freeze.map { LayerFreeze(names: $0, duration: section.freezeFor) }
        settings.averageLast = section.averageLast
        return settings
    }

    static func run(_ parameters: Parameters, _ context: StageContext) throws {
        let train = try StageArtifacts.load(context.inputs["features"]!, split: "train", holdout: parameters.holdout)
        let evaluation = try StageArtifacts.load(context.inputs["features"]!, split: "test")
        let network = try parameters.model.trained(frames: train.frames, bands: train.bands, seed: parameters.seed, context, from: ["pretrain"])
        if let initial = context.inputs[InitialWeights.stageId(for: "finetune")] { try StageArtifacts.startFrom(initial, network: network) }
        var generator = SeededGenerator(seed: UInt64(parameters.seed)).split("trials")
        let utterances = zip(evaluation.ids, evaluation.labels).map { Utterance(id: $0, speaker: String($1), path: $0) }
        let trials = try TrialList.speakerModels(utterances, enrolmentCount: parameters.enrolment, using: &generator)
        try TripletFinetuning(settings: settings(parameters.finetune, seed: parameters.seed), folder: context.partial.path)
            .run(model: network, train: train, evaluation: evaluation, trials: trials)
        try StageArtifacts.copy(context.partial.appendingPathComponent("best.safetensors"), to: context.output.appendingPathComponent("model.safetensors"))
        try StageArtifacts.copy(context.partial.appendingPathComponent("history.csv"), to: context.output.appendingPathComponent("history.csv"))
        try StageArtifacts.copyCheckpoints(from: context.partial, to: context.output)
    }
}
