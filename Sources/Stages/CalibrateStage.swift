import Foundation
import Metrics
import Pipeline
import Spec
import Training

/// Fits a linear calibration of cosine scores to log-likelihood ratios on speaker-model trials
/// of training speakers held out of training (`calibrate.speakers`, never the test speakers),
/// and writes `calibration.json` with the thresholds `verify` decides at.
enum CalibrateStage: StageDefinition {
    struct Parameters: Codable, Hashable, Sendable {
        let calibrate: CalibrateSpec
        let model: ModelParameters
        let seed: Int
        let numerics: NumericsParameters?
        let holdout: CalibrationHoldout
        /// The evaluate section's score normalisation (nil: none), so the calibration maps the scores evaluate makes.
        let normalisation: EvaluateSpec?
    }

    static let kind = "calibrate"
    /// The engine's numerics version and the stage's own (2: the score range and separability recorded, and checked).
    static let codeVersion = ExperimentPlan.engineVersion * 1000 + 2

    static func run(_ parameters: Parameters, _ context: StageContext) throws {
        let held = try StageArtifacts.load(context.inputs["features"]!, split: "calibration", holdout: parameters.holdout)
        let network = try parameters.model.trained(frames: held.frames, bands: held.bands, seed: parameters.seed, context, from: ["finetune", "pretrain"])
        let standardisation = try parameters.normalisation.flatMap {
            try StageArtifacts.standardisation($0, features: context.inputs["features"]!, network: network, holdout: parameters.holdout)
        }
        let vectors = Embedding.embed(model: network, data: held)
        let embeddings = Dictionary(uniqueKeysWithValues: zip(held.ids, StageArtifacts.standardised(vectors, by: standardisation)))
        let normalisation = try parameters.normalisation.flatMap {
            try StageArtifacts.normalisation($0, features: context.inputs["features"]!, network: network, holdout: parameters.holdout,
                                             standardisation: standardisation)
        }
        let trials = try VerificationTrials(.speakerModels(enrolment: parameters.calibrate.enrolment), evaluation: held, embeddings: embeddings,
                                            seed: UInt64(parameters.seed), normalisation: normalisation)
        let names = try StageArtifacts.speakerNames(context.inputs["features"]!, ids: Set(held.ids))
        let record = try CalibrationRecord(fitting: trials.labelled.trials, speakers: names, operatingPoint: parameters.calibrate.operatingPoint.rawValue)
        try record.write(to: context.output.appendingPathComponent(CalibrationRecord.fileName))
        // A fit that cannot be trusted is said now; `verify` refuses to decide with it.
        for problem in record.problems(at: record.operatingPoint) {
            FileHandle.standardError.write(Data("warning: the calibration cannot be trusted: \(problem); hold out more speakers (calibrate.speakers) or verify without it\n".utf8))
        }
        try AtomicFile.write(EvaluateStage.scoresCSV(trials), to: context.output.appendingPathComponent("calibration_scores.csv").path)
    }
}
