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
    /// The lowest and highest calibration score (nil in files written before it was recorded).
    public let scoreRange: [Double]?
    /// Whether every target scored above every non-target: then the logistic fit has no finite
    /// optimum and its scale says nothing (nil in older files).
    public let separable: Bool?

    /// The largest slope believed: beyond it the LLR moves by more than 2 nats per 0.01 of cosine,
    /// a certainty no calibration set of a few speakers supports (the committed runs fit 17 to 41).
    public static let largestPlausibleScale = 200.0

    /// Why the calibration cannot be trusted to decide at `point` (empty: it can).
    public func problems(at point: String) -> [String] {
        var problems: [String] = []
        if separable == true {
            problems.append("its trials separate perfectly (every target above every non-target), so the logistic fit has no finite optimum (scale \(String(format: "%.4g", scale)))")
        } else if !(scale > 0 && scale <= Self.largestPlausibleScale) {
            problems.append("its scale \(String(format: "%.4g", scale)) is outside (0, \(Int(Self.largestPlausibleScale))], more certainty than \(trials) trials support")
        }
        if let range = scoreRange, range.count == 2, let threshold = thresholds[point]?.score, !(range[0]...range[1]).contains(threshold) {
            problems.append("its \(point) threshold \(String(format: "%.6g", threshold)) lies outside the calibration scores [\(String(format: "%.4g", range[0])), \(String(format: "%.4g", range[1]))]")
        }
        return problems
    }

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
        let targets = zip(trials.scores, trials.labels).filter { $0.1 }.map(\.0), others = zip(trials.scores, trials.labels).filter { !$0.1 }.map(\.0)
        scoreRange = [trials.scores.min() ?? 0, trials.scores.max() ?? 0]
        separable = (targets.min() ?? 0) > (others.max() ?? 0)
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
