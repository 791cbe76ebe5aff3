import Datasets
import Foundation
import NN
import Pipeline
import Randomness
import Reports
import Spec
import Training

/// Softmax (or AAM) pretraining of the network on the training speakers, with a per-speaker
/// validation split choosing the best checkpoint.
enum PretrainStage: StageDefinition {
    struct Parameters: Codable, Hashable, Sendable {
        let pretrain: PretrainSpec
        let model: ModelParameters
        let seed: Int
        let validationFraction: Double
        let numerics: NumericsParameters?
        /// The training speakers a calibrate stage holds out (nil: none).
        let holdout: CalibrationHoldout?
        /// On-the-fly augmentation (nil: the features stage's cuts), with the front end it feeds.
        let augment: AugmentSpec?
        let features: FeaturesSpec?
    }

    static let kind = "pretrain"
    /// The engine's numerics version and the stage's own (1: last.safetensors, and averaged.safetensors with average_last).
    static let codeVersion = ExperimentPlan.engineVersion * 1000 + 1

    /// The training loop's settings for a `pretrain:` section.
    static func settings(_ section: PretrainSpec, seed: Int) -> SoftmaxPretraining.Settings {
        var settings = SoftmaxPretraining.Settings()
        settings.optimizer = StageArtifacts.optimizerSettings(section.optimizer)
        settings.batchSize = section.batch
        settings.epochs = section.epochs
        settings.plateauFactor = section.plateauFactor
        settings.plateauPatience = section.plateauPatience
        settings.earlyStoppingPatience = section.earlyStopping > 0 ? section.earlyStopping : nil
        settings.labelSmoothing = section.labelSmoothing
        settings.l2 = section.l2
        settings.loss = section.loss == .aam ? .aam : .softmax
        settings.aamMargin = section.aamMargin
        settings.aamScale = section.aamScale
        settings.seed = UInt64(seed)
        settings.freeze = section.freeze.map { LayerFreeze(names: $0, duration: section.freezeFor) }
        settings.averageLast = section.averageLast
        settings.warmup = section.warmup.map(LinearWarmup.init)
        settings.marginWarmup = section.aamMarginWarmup.map(LinearWarmup.init)
        return settings
    }

    static func run(_ parameters: Parameters, _ context: StageContext) throws {
        let all = try StageArtifacts.load(context.inputs["features"]!, split: "train", holdout: parameters.holdout)
        var generator = SeededGenerator(seed: UInt64(parameters.seed)).split("split")
        let utterances = zip(all.ids, all.labels).map { Utterance(id: $0, speaker: String($1), path: $0) }
        let selectsByEER = parameters.pretrain.select == .eer
        let (trainList, validationList) = selectsByEER
            ? try ValidationSpeakers(count: parameters.pretrain.validationSpeakers ?? ValidationSpeakers.defaultCount, seed: parameters.seed).split(utterances)
            : SeedProtocols.pretrainingSplit(utterances, validationFraction: parameters.validationFraction, using: &generator)
        let index = Dictionary(uniqueKeysWithValues: all.ids.enumerated().map { ($1, $0) })
        // With speakers held out for the EER, the head's classes are the speakers left, renumbered.
        let trainedSpeakers = Set(trainList.map(\.speaker)).sorted { Int($0)! < Int($1)! }
        let classIndex = Dictionary(uniqueKeysWithValues: trainedSpeakers.enumerated().map { ($1, $0) })
        func subset(_ list: [Utterance], relabel: Bool) throws -> TrainingData {
            try TrainingData(features: list.map { all.features[index[$0.id]!] },
                             labels: list.map { relabel ? classIndex[$0.speaker]! : all.labels[index[$0.id]!] }, ids: list.map(\.id))
        }
        let settings = settings(parameters.pretrain, seed: parameters.seed)
        let network = try parameters.model.build(frames: all.frames, bands: all.bands, seed: parameters.seed)
        // init_from: the layers that match by name and shape start from the other run's weights.
        if let initial = context.inputs[InitialWeights.stageId(for: "pretrain")] { try StageArtifacts.startFrom(initial, network: network) }
        let fixed = try subset(trainList, relabel: selectsByEER)
        let train: any TrainingBatches
        var classes = selectsByEER ? trainedSpeakers.count : Set(all.labels).count
        if let augment = parameters.augment, let features = parameters.features, let bank = context.inputs["augment"] {
            let augmented = try AugmentedTraining.batches(augment, features: features, bank: bank, training: fixed, classes: classes, seed: parameters.seed)
            train = augmented
            classes *= 1 + augment.speed.count
        } else {
            train = fixed
        }
        var headGenerator = SeededGenerator(seed: settings.seed).split("head")
        let head = Dense(name: "softmax", inputs: network.embeddingSize, outputs: classes, using: &headGenerator)
        let validation = validationList.isEmpty ? nil : try subset(validationList, relabel: false)
        var trials: TrialList? = nil
        if selectsByEER, let validation { trials = try ValidationSpeakers.trials(validation, seed: parameters.seed) }
        try SoftmaxPretraining(settings: settings, folder: context.partial.path)
            .run(model: network, classifier: head, train: train, validation: validation, validationTrials: trials)
        try StageArtifacts.copy(context.partial.appendingPathComponent("best.safetensors"), to: context.output.appendingPathComponent("model.safetensors"))
        try StageArtifacts.copy(context.partial.appendingPathComponent("history.csv"), to: context.output.appendingPathComponent("history.csv"))
        try StageArtifacts.copyCheckpoints(from: context.partial, to: context.output)
        if let history = try? CSV.parse(String(contentsOf: context.output.appendingPathComponent("history.csv"), encoding: .utf8)),
           let selection = CheckpointSelection.pretraining(select: parameters.pretrain.select, validationSpeakers: parameters.pretrain.validationSpeakers,
                                                           validationFraction: parameters.validationFraction, history: history) {
            ProgressReporter().endEpoch(selection.sentence)
        }
    }
}
