/// A receiver operating characteristic, point by point, as scikit-learn's `roc_curve` returns it.
public struct ROCCurve: Sendable {
    /// False-positive rate at each point, rising from 0 to 1.
    public let falsePositiveRates: [Double]
    /// True-positive rate at each point, rising from 0 to 1.
    public let truePositiveRates: [Double]
    /// The threshold of each point (accept score ≥ threshold); the first is +∞ (accept nothing).
    public let thresholds: [Double]

    /// Builds the curve; `dropIntermediate` removes collinear points as sklearn does by default.
    public init(_ points: OperatingPoints, dropIntermediate: Bool = true) {
        var keep = Array(points.thresholds.indices)
        if dropIntermediate && keep.count > 2 {
            // Keep a point only where the second difference of either count is non-zero.
            keep = keep.filter { i in
                if i == 0 || i == points.thresholds.count - 1 { return true }
                let secondTargets = points.acceptedTargets[i + 1] - 2 * points.acceptedTargets[i] + points.acceptedTargets[i - 1]
                let secondNonTargets = points.acceptedNonTargets[i + 1] - 2 * points.acceptedNonTargets[i] + points.acceptedNonTargets[i - 1]
                return secondTargets != 0 || secondNonTargets != 0
            }
        }
        let positives = Double(points.targetCount)
        let negatives = Double(points.nonTargetCount)
        falsePositiveRates = [0] + keep.map { Double(points.acceptedNonTargets[$0]) / negatives }
        truePositiveRates = [0] + keep.map { Double(points.acceptedTargets[$0]) / positives }
        thresholds = [.infinity] + keep.map { points.thresholds[$0] }
    }

    /// The area under the curve by the trapezoid rule (equals `roc_auc_score`).
    public var area: Double {
        var area = 0.0
        for i in 1..<falsePositiveRates.count {
            area += (falsePositiveRates[i] - falsePositiveRates[i - 1]) * (truePositiveRates[i] + truePositiveRates[i - 1]) / 2
        }
        return area
    }
}
