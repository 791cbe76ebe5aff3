import Foundation
import Metrics
import Pipeline
import Training

/// `calibration.json`: the linear calibration a calibrate stage fitted, the trials it was fitted
/// on, and the thresholds to decide at: the calibration trials' EER point, and the Bayes
/// thresholds of minDCF at P_tar 0.01 and 0.001 (C_miss = C_fa = 1), each as a raw cosine
/// score and as a log-likelihood ratio.
public struct CalibrationRecord: Codable, Sendable, Equatable {
    /// One decision threshold.
    public struct Threshold: Codable, Sendable, Equatable {
        /// On raw cosine scores.
        public let score: Double
        /// On calibrated log-likelihood ratios.
        public let llr: Double
    }

    /// How it was fitted.
    public let method: String
    /// The slope on raw scores.
    public let scale: Double
    /// The offset after scaling.
    public let offset: Double
    /// Calibration trials, and how many were targets.
    public let trials: Int
    public let targetTrials: Int
    /// The held-out training speakers the trials came from.
    public let speakers: [String]
    /// Cllr of the calibration trials' raw cosine scores (read as LLRs) and after calibration.
    public let cllrRaw: Double
    public let cllrCalibrated: Double
    /// Thresholds by operating point name (`eer`, `min_dcf_p0.01`, `min_dcf_p0.001`).
    public let thresholds: [String: Threshold]
    /// The operating point `speakerlab verify` decides at.
    public let operatingPoint: String

    /// The file name.
    public static let fileName = "calibration.json"

    /// The calibration as the Metrics layer applies it.
    public var calibration: LinearCalibration { LinearCalibration(scale: scale, offset: offset) }

    /// Fits the calibration to labelled trials and works out the thresholds.
    init(fitting trials: ScoredTrials, speakers: [String], operatingPoint: String) throws {
        let calibration = try LinearCalibration.fit(trials)
        guard calibration.scale > 0 else {
            throw TrainingError("the calibration trials score targets below non-targets on the whole (fitted slope \(calibration.scale)); the model has not learnt to verify these speakers")
        }
        method = "linear logistic regression of raw cosine scores to natural-log LLRs, targets and non-targets weighted equally (effective prior 0.5)"
        scale = calibration.scale
        offset = calibration.offset
        self.trials = trials.scores.count
        targetTrials = trials.targetCount
        self.speakers = speakers
        cllrRaw = logLikelihoodRatioCost(trials)
        cllrCalibrated = logLikelihoodRatioCost(calibration.apply(trials))
        let eer = EqualErrorRate(OperatingPoints(trials)).threshold
        var thresholds = ["eer": Threshold(score: eer, llr: calibration.llr(eer))]
        for prior in [0.01, 0.001] {
            let llr = DetectionCostParameters(targetPrior: prior).bayesThreshold
            thresholds["min_dcf_p\(prior)"] = Threshold(score: calibration.score(atLLR: llr), llr: llr)
        }
        self.thresholds = thresholds
        self.operatingPoint = operatingPoint
    }

    /// Writes it (sorted keys, snake_case) atomically.
    func write(to file: URL) throws {
        try AtomicFile.write(CanonicalValue(encoding: self).canonicalText + "\n", to: file.path)
    }

    /// Reads a calibration file.
    public static func read(_ file: URL) throws -> CalibrationRecord {
        do {
            return try JSONDecoder().decode(CanonicalValue.self, from: Data(contentsOf: file)).decoded(as: CalibrationRecord.self)
        } catch {
            throw PipelineError("\(file.path): not a calibration file SpeakerLab wrote (\(error)); run the experiment again")
        }
    }
}
