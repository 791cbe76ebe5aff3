/// A named verification metric; the name carries its parameters (`min_dcf_p0.01`), and the
/// seed's variants are suffixed `_seed`.
public enum VerificationMetric: String, CaseIterable, Sendable, Codable {
    /// Equal error rate, interpolated at the crossing.
    case eer
    /// Area under the ROC curve.
    case auc
    /// Average precision on the scores.
    case ap
    /// Minimum normalised DCF, P_target 0.01, C_miss = C_fa = 1.
    case minDCF001 = "min_dcf_p0.01"
    /// Minimum normalised DCF, P_target 0.001, C_miss = C_fa = 1.
    case minDCF0001 = "min_dcf_p0.001"
    /// Actual normalised DCF of LLR scores at the Bayes threshold, P_target 0.01.
    case actualDCF001 = "act_dcf_p0.01"
    /// Log-likelihood-ratio cost of LLR scores.
    case cllr
    /// The seed's EER (sklearn reduced ROC, first argmin, mean of the two rates).
    case eerSeed = "eer_seed"
    /// The seed's accuracy with a strict `>` at its EER threshold.
    case accuracySeed = "acc_seed"
    /// The seed's PR-AUC: average precision of the binarised predictions.
    case prAUCSeed = "pr_auc_seed"

    /// The metrics `speakerlab metrics` prints when none are named.
    public static let standard: [VerificationMetric] = [.eer, .auc, .ap, .minDCF001, .minDCF0001, .cllr, .eerSeed, .accuracySeed, .prAUCSeed]

    /// Parses a metric name, with the list of known names in the error.
    public static func named(_ name: String) throws -> VerificationMetric {
        guard let metric = VerificationMetric(rawValue: name) else {
            throw MetricError.unknownMetric(name, known: allCases.map(\.rawValue))
        }
        return metric
    }

    /// The metric from operating points alone, or nil for one that needs the scores themselves
    /// (calibration metrics, the seed's variants).
    public func value(from points: OperatingPoints) -> Double? {
        switch self {
        case .eer: return EqualErrorRate(points).rate
        case .auc: return ROCCurve(points, dropIntermediate: false).area
        case .ap: return averagePrecision(points)
        case .minDCF001: return minimumDetectionCost(points, DetectionCostParameters(targetPrior: 0.01))
        case .minDCF0001: return minimumDetectionCost(points, DetectionCostParameters(targetPrior: 0.001))
        default: return nil
        }
    }

    /// Computes several metrics, sharing one sort among those that need it.
    public static func evaluate(_ metrics: [VerificationMetric], on trials: ScoredTrials) throws -> [VerificationMetric: Double] {
        let points = OperatingPoints(trials)
        var seed: SeedVerificationMetrics?
        func seedMetrics() throws -> SeedVerificationMetrics {
            if let seed { return seed }
            let computed = try SeedVerificationMetrics(trials)
            seed = computed
            return computed
        }
        var values: [VerificationMetric: Double] = [:]
        for metric in metrics {
            if let value = metric.value(from: points) {
                values[metric] = value
                continue
            }
            switch metric {
            case .eer, .auc, .ap, .minDCF001, .minDCF0001: break
            case .actualDCF001: values[metric] = actualDetectionCost(trials, DetectionCostParameters(targetPrior: 0.01))
            case .cllr: values[metric] = logLikelihoodRatioCost(trials)
            case .eerSeed: values[metric] = try seedMetrics().equalErrorRate
            case .accuracySeed: values[metric] = try seedMetrics().accuracy
            case .prAUCSeed: values[metric] = try seedMetrics().binaryAveragePrecision
            }
        }
        return values
    }
}
