/// The NIST SRE detection cost function: C_miss·P_miss·P_target + C_fa·P_fa·(1 − P_target),
/// normalised by the cost of the best decision made without the scores.
public struct DetectionCostParameters: Sendable, Equatable, Hashable {
    /// The prior probability of a target trial.
    public let targetPrior: Double
    /// The cost of missing a target.
    public let missCost: Double
    /// The cost of accepting a non-target.
    public let falseAlarmCost: Double

    /// Creates the parameters; costs default to 1 as in `min_dcf_p0.01`.
    public init(targetPrior: Double, missCost: Double = 1, falseAlarmCost: Double = 1) {
        precondition(targetPrior > 0 && targetPrior < 1, "target prior must be in (0, 1), got \(targetPrior)")
        self.targetPrior = targetPrior
        self.missCost = missCost
        self.falseAlarmCost = falseAlarmCost
    }

    /// The normaliser: the smaller cost of always accepting or always rejecting.
    var defaultCost: Double { min(missCost * targetPrior, falseAlarmCost * (1 - targetPrior)) }

    /// The normalised cost of one operating point.
    func normalisedCost(missRate: Double, falseAlarmRate: Double) -> Double {
        (missCost * missRate * targetPrior + falseAlarmCost * falseAlarmRate * (1 - targetPrior)) / defaultCost
    }

    /// The Bayes decision threshold for calibrated log-likelihood-ratio scores.
    public var bayesThreshold: Double {
        _logarithm(falseAlarmCost * (1 - targetPrior) / (missCost * targetPrior))
    }
}

/// The minimum normalised detection cost over all thresholds (including accept-all and reject-all).
public func minimumDetectionCost(_ points: OperatingPoints, _ parameters: DetectionCostParameters) -> Double {
    var best = parameters.normalisedCost(missRate: 1, falseAlarmRate: 0)
    for i in points.thresholds.indices {
        best = min(best, parameters.normalisedCost(missRate: points.missRate(i), falseAlarmRate: points.falseAlarmRate(i)))
    }
    return best
}

/// The normalised detection cost of calibrated log-likelihood-ratio scores at the Bayes threshold:
/// a trial is accepted when its score is at least the threshold.
public func actualDetectionCost(_ trials: ScoredTrials, _ parameters: DetectionCostParameters) -> Double {
    let threshold = parameters.bayesThreshold
    var misses = 0
    var falseAlarms = 0
    for (score, isTarget) in zip(trials.scores, trials.labels) {
        if isTarget && score < threshold { misses += 1 }
        if !isTarget && score >= threshold { falseAlarms += 1 }
    }
    return parameters.normalisedCost(missRate: Double(misses) / Double(trials.targetCount),
                                     falseAlarmRate: Double(falseAlarms) / Double(trials.nonTargetCount))
}
