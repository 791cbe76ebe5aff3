/// Average precision as scikit-learn's `average_precision_score`: Σ (R_k − R_{k−1}) · P_k over
/// thresholds from the highest score down, with no interpolation.
public func averagePrecision(_ points: OperatingPoints) -> Double {
    var total = 0.0
    var previousRecall = 0.0
    for i in points.thresholds.indices {
        let accepted = points.acceptedTargets[i] + points.acceptedNonTargets[i]
        let precision = Double(points.acceptedTargets[i]) / Double(accepted)
        let recall = Double(points.acceptedTargets[i]) / Double(points.targetCount)
        total += (recall - previousRecall) * precision
        previousRecall = recall
    }
    return total
}
