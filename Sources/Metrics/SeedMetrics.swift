/// The seed's SV metrics exactly as `Util.evaluate_metrics` computes them (reference §5):
/// EER at the first argmin of |1 − tpr − fpr| on sklearn's reduced ROC, accuracy with a strict
/// `>` at that threshold, and PR-AUC as average precision of the binarised predictions.
public struct SeedVerificationMetrics: Sendable, Equatable {
    /// `eer_seed`: ((1 − tpr[i]) + fpr[i]) / 2 at the chosen ROC point.
    public let equalErrorRate: Double
    /// The threshold of the chosen ROC point.
    public let threshold: Double
    /// `acc_seed`: accuracy of `score > threshold` (strict) against the labels.
    public let accuracy: Double
    /// `pr_auc_seed`: average precision of the 0/1 predictions, not of the scores.
    public let binaryAveragePrecision: Double
    /// ROC AUC on the scores.
    public let areaUnderCurve: Double

    /// Computes the seed's metrics from trials.
    public init(_ trials: ScoredTrials) throws {
        let points = OperatingPoints(trials)
        let curve = ROCCurve(points, dropIntermediate: true)
        var best = 0
        var bestGap = Double.infinity
        for i in curve.thresholds.indices {
            let gap = abs(1 - curve.truePositiveRates[i] - curve.falsePositiveRates[i])
            if gap < bestGap { bestGap = gap; best = i }  // strict: the first minimum wins
        }
        let chosen = curve.thresholds[best]
        threshold = chosen
        equalErrorRate = ((1 - curve.truePositiveRates[best]) + curve.falsePositiveRates[best]) / 2
        let predictions = trials.scores.map { $0 > chosen }
        let correct = zip(predictions, trials.labels).lazy.filter { $0 == $1 }.count
        accuracy = Double(correct) / Double(trials.labels.count)
        let binary = try ScoredTrials(scores: predictions.map { $0 ? 1 : 0 }, labels: trials.labels)
        binaryAveragePrecision = averagePrecision(OperatingPoints(binary))
        areaUnderCurve = curve.area
    }
}
