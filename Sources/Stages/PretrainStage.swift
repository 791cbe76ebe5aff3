import Datasets
import Foundation
import NN
import Pipeline
import Randomness
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
        let (trainList, validationList) = SeedProtocols.pretrainingSplit(utterances, validationFraction: parameters.validationFraction, using: &generator)
        let index = Dictionary(uniqueKeysWithValues: all.ids.enumerated().map { ($1, $0) })
        func subset(_ list: [Utterance]) throws -> TrainingData {
            try TrainingData(features: list.map { all.features[index[$0.id]!] }, labels: list.map { all.labels[index[$0.id]!] }, ids: list.map(\.id))
        }
        let settings = settings(parameters.pretrain, seed: parameters.seed)
        let network = try parameters.model.build(frames: all.frames, bands: all.bands, seed: parameters.seed)
        // init_from: the layers that match by name and shape start from the other run's weights.
        if let initial = context.inputs[InitialWeights.stageId(for: "pretrain")] { try StageArtifacts.startFrom(initial, network: network) }
        var headGenerator = SeededGenerator(seed: settings.seed).split("head")
        let classes = Set(all.labels).count
        let head = Dense(name: "softmax", inputs: network.embeddingSize, outputs: classes, using: &headGenerator)
        try SoftmaxPretraining(settings: settings, folder: context.partial.path)
            .run(model: network, classifier: head, train: try subset(trainList), validation: validationList.isEmpty ? nil : try subset(validationList))
        try StageArtifacts.copy(context.partial.appendingPathComponent("best.safetensors"), to: context.output.appendingPathComponent("model.safetensors"))
        try StageArtifacts.copy(context.partial.appendingPathComponent("history.csv"), to: context.output.appendingPathComponent("history.csv"))
        try StageArtifacts.copyCheckpoints(from: context.partial, to: context.output)
    }
}
