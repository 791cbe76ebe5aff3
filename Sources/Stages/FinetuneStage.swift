import Datasets
import Foundation
import Pipeline
import Randomness
import Reports
import Spec
import Tensor
import Training

/// Triplet fine-tuning of the pretrained network (or of a fresh one when there is no
/// pretraining), keeping the checkpoint of lowest EER on validation speakers held out of
/// fine-tuning (`select: eer`), the last step's (`last`), or, as the seed did, the checkpoint of
/// lowest EER on the test speakers (`test-speakers`, an opt-in every table marks).
enum FinetuneStage: StageDefinition {
    struct Parameters: Codable, Hashable, Sendable {
        let finetune: FinetuneSpec
        let model: ModelParameters
        let seed: Int
        /// `select: test-speakers`: the test trials' enrolment count (the EER that picks the checkpoint).
        let enrolment: Int
        /// `select: eer`: the training speakers held out of fine-tuning to choose on (nil otherwise).
        let validation: ValidationSpeakers?
        let numerics: NumericsParameters?
        /// The training speakers a calibrate stage holds out (nil: none).
        let holdout: CalibrationHoldout?
    }

    static let kind = "finetune"
    /// The engine's numerics version and the stage's own (1: held-out EER on embeddings made one
    /// utterance to a forward pass; 2: last.safetensors, and averaged.safetensors with average_last;
    /// 3: the checkpoint chosen on validation speakers, never on the test speakers unless asked).
    static let codeVersion = ExperimentPlan.engineVersion * 1000 + 3

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
        let features = context.inputs["features"]!
        let all = try StageArtifacts.load(features, split: "train", holdout: parameters.holdout)
        let network = try parameters.model.trained(frames: all.frames, bands: all.bands, seed: parameters.seed, context, from: ["pretrain"])
        if let initial = context.inputs[InitialWeights.stageId(for: "finetune")] { try StageArtifacts.startFrom(initial, network: network) }
        var train = all
        var evaluation: (data: TrainingData, trials: TrialList)? = nil
        switch parameters.finetune.select {
        case .eer:
            guard let validation = parameters.validation else { throw TrainingError("finetune.select: eer needs validation speakers; the plan gave none") }
            let split = try validation.split(all)
            train = split.train
            evaluation = (split.validation, try ValidationSpeakers.trials(split.validation, seed: parameters.seed))
        case .testSpeakers:
            // The seed's own practice, asked for by name: the checkpoint is chosen on the test speakers.
            let test = try StageArtifacts.load(features, split: "test")
            var generator = SeededGenerator(seed: UInt64(parameters.seed)).split("trials")
            let utterances = zip(test.ids, test.labels).map { Utterance(id: $0, speaker: String($1), path: $0) }
            evaluation = (test, try TrialList.speakerModels(utterances, enrolmentCount: parameters.enrolment, using: &generator))
        case .last:
            break
        }
        try TripletFinetuning(settings: settings(parameters.finetune, seed: parameters.seed), folder: context.partial.path)
            .run(model: network, train: train, evaluation: evaluation)
        try StageArtifacts.copy(context.partial.appendingPathComponent("best.safetensors"), to: context.output.appendingPathComponent("model.safetensors"))
        try StageArtifacts.copy(context.partial.appendingPathComponent("history.csv"), to: context.output.appendingPathComponent("history.csv"))
        try StageArtifacts.copyCheckpoints(from: context.partial, to: context.output)
        if let history = try? CSV.parse(String(contentsOf: context.output.appendingPathComponent("history.csv"), encoding: .utf8)),
           let selection = CheckpointSelection.finetuning(select: parameters.finetune.select, validation: parameters.validation, history: history) {
            ProgressReporter().endEpoch(selection.sentence)
        }
    }
}
