import Audio
import Foundation
import Metrics
import Pipeline
import Randomness
import Reports
import Spec
import Tensor
import Training

/// Embeds the held-out utterances with the trained network and scores them under the spec's
/// protocols: `metrics.csv` with 95 % speaker-bootstrap intervals, `scores.csv`,
/// `identification.csv`, `bootstrap.json` (how the intervals were made) and the test
/// embeddings (`embeddings.npy` with `embedding_ids.txt`).
enum EvaluateStage: StageDefinition {
    struct Parameters: Codable, Hashable, Sendable {
        let evaluate: EvaluateSpec
        let model: ModelParameters
        let seed: Int
        let numerics: NumericsParameters?
        /// The calibration hold-out, which the AS-norm cohort and the standardisation leave out (nil
        /// without either, or without calibration).
        let cohortHoldout: CalibrationHoldout?
        /// With `length: whole`, the front end (the network is built for its cut's frames); nil otherwise.
        let features: FeaturesSpec?
    }

    static let kind = "evaluate"
    /// The engine's numerics version and the evaluation's own (1: speaker-bootstrap intervals,
    /// trial identities in scores.csv, identification.csv; 2: the test embeddings kept). `embedding_norm`
    /// is an optional field, absent from the key unless given.
    static let codeVersion = ExperimentPlan.engineVersion * 1000 + 2

    /// The protocol an `evaluate:` section names.
    static func verificationProtocol(_ section: EvaluateSpec) -> VerificationProtocol {
        switch section.protocol {
        case .trials: return .speakerModels(enrolment: section.enrolment)
        case .pairs: return .pairs(nontargetPairs: section.nontargetPairs)
        case .membershipEraA: return .membershipEraA
        case .membershipHead: return .membershipHead
        }
    }

    static func run(_ parameters: Parameters, _ context: StageContext) throws {
        let section = parameters.evaluate
        // Whole utterances when the spec asks for them: the test set and what is fitted on training.
        let featuresFolder = context.inputs["whole-features"] ?? context.inputs["features"]!
        let evaluation = try StageArtifacts.load(featuresFolder, split: "test")
        let frames = parameters.features.map { FeatureExtractor(settings: StageArtifacts.featureSettings($0)).frameCount(sampleCount: Int($0.seconds * Double($0.rate))) } ?? evaluation.frames
        let network = try parameters.model.trained(frames: frames, bands: evaluation.bands, seed: parameters.seed, context, from: ["finetune", "pretrain"])
        let vectors = Embedding.embed(model: network, data: evaluation)
        try EmbeddingFiles.write(ids: evaluation.ids, embeddings: vectors, to: context.output)
        // Scored as the spec says: raw, or standardised with the training utterances' statistics.
        let standardisation = try StageArtifacts.standardisation(section, features: featuresFolder, network: network, holdout: parameters.cohortHoldout)
        let embeddings = Dictionary(uniqueKeysWithValues: zip(evaluation.ids, StageArtifacts.standardised(vectors, by: standardisation)))
        var header: [String] = [], values: [String] = []
        // One speaker bootstrap, seeded by the spec's seed, behind every interval of this evaluation.
        let speakers = Set(evaluation.labels).count
        var generator = SeededGenerator(seed: UInt64(parameters.seed)).split("bootstrap")
        let bootstrap = SpeakerBootstrap(speakerCount: speakers, replicates: section.bootstrap, using: &generator)
        func append(_ name: String, _ interval: ConfidenceInterval) {
            header += [name, name + "_lo", name + "_hi"]
            values += [interval.estimate, interval.lower, interval.upper].map(ScoreFileMetrics.format)
        }
        if section.tasks.contains(.sv) {
            let normalisation = try StageArtifacts.normalisation(section, features: featuresFolder, network: network, holdout: parameters.cohortHoldout,
                                                                 standardisation: standardisation)
            let trials = try VerificationTrials(verificationProtocol(section), evaluation: evaluation, embeddings: embeddings, seed: UInt64(parameters.seed),
                                                normalisation: normalisation)
            let metrics = try section.metrics.map(VerificationMetric.named)
            let intervals = try bootstrap.intervals(metrics, on: trials.labelled, threads: Parallel.threads)
            for metric in metrics { append(metric.rawValue, intervals[metric]!) }
            if let calibrated = context.inputs["calibrate"] {
                // The calibration fitted on held-out training speakers, applied to the test trials.
                let calibration = try CalibrationRecord.read(calibrated.appendingPathComponent(CalibrationRecord.fileName)).calibration
                let raw = try bootstrap.intervals([.cllr], on: trials.labelled, threads: Parallel.threads)
                append("cllr_raw", raw[.cllr]!)
                let llrs = SpeakerLabelledTrials(trials: calibration.apply(trials.labelled.trials), enrolmentSpeakers: trials.labelled.enrolmentSpeakers,
                                                 testSpeakers: trials.labelled.testSpeakers, speakerCount: trials.labelled.speakerCount)
                let calibratedMetrics: [VerificationMetric] = [.cllr, .actualDCF001, .minDCF001]
                let after = try bootstrap.intervals(calibratedMetrics, on: llrs, threads: Parallel.threads)
                for metric in calibratedMetrics { append(metric.rawValue + "_calibrated", after[metric]!) }
            }
            try AtomicFile.write(scoresCSV(trials), to: context.output.appendingPathComponent("scores.csv").path)
        }
        if section.tasks.contains(.si) {
            let identification = SpeakerIdentification(evaluation: evaluation, embeddings: embeddings)
            append("si_top1", bootstrap.identificationInterval(hits: identification.top1, speakers: identification.testSpeakers))
            append("si_top5", bootstrap.identificationInterval(hits: identification.top5, speakers: identification.testSpeakers))
            // Per test utterance, so `compare` can pair two runs' identification too.
            var lines = ["test,test_speaker,top1,top5"]
            for index in identification.tests.indices {
                lines.append("\(CSV.escape(identification.tests[index])),\(identification.testSpeakers[index]),\(identification.top1[index] ? 1 : 0),\(identification.top5[index] ? 1 : 0)")
            }
            try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: context.output.appendingPathComponent("identification.csv").path)
        }
        try AtomicFile.write(Table(header: header, rows: [values]).csv, to: context.output.appendingPathComponent("metrics.csv").path)
        // How the intervals were made, for the report.
        let method = CanonicalValue.object(["method": .string(SpeakerBootstrap.method), "replicates": .integer(bootstrap.replicates),
                                            "confidence": .number(bootstrap.confidence), "seed": .integer(parameters.seed),
                                            "speakers": .integer(speakers)])
        try AtomicFile.write(method.canonicalText + "\n", to: context.output.appendingPathComponent("bootstrap.json").path)
    }

    /// `scores.csv`: one row per trial with its ids, speakers, label and score.
    static func scoresCSV(_ trials: VerificationTrials) -> String {
        var lines = ["enrol,test,enrol_speaker,test_speaker,label,score"]
        lines.reserveCapacity(trials.tests.count + 1)
        let labelled = trials.labelled
        for i in trials.tests.indices {
            let enrolled = labelled.enrolmentSpeakers[i].map(String.init) ?? "*"
            lines.append("\(CSV.escape(trials.enrolments[i])),\(CSV.escape(trials.tests[i])),\(enrolled),\(labelled.testSpeakers[i]),\(labelled.trials.labels[i] ? 1 : 0),\(labelled.trials.scores[i])")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
