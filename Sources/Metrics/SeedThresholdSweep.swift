/// The seed's fine-tuning `eval_metrics.evaluate` (reference §6): 1000 thresholds 0, 0.001, …, 0.999,
/// prediction `similarity > t`; accuracy at the first best-F1 threshold, and the EER at the first
/// threshold with the smallest |FRR − FAR|.
public struct SeedThresholdSweep: Sendable, Equatable {
    /// F1 at the best threshold.
    public let bestF1: Double
    /// Accuracy at the best-F1 threshold.
    public let accuracy: Double
    /// (FRR + FAR)/2 at the first threshold minimising |FRR − FAR|.
    public let equalErrorRate: Double

    /// Runs the sweep over similarities and labels.
    public init(similarities: [Double], labels: [Bool]) {
        precondition(similarities.count == labels.count, "similarities and labels differ in length")
        let sameCount = labels.lazy.filter { $0 }.count
        let differentCount = labels.count - sameCount
        var bestF1 = -1.0
        var bestAccuracy = 0.0
        var smallestGap = Double.infinity
        var equalErrorRate = 0.0
        for step in 0..<1000 {
            let threshold = Double(step) * 0.001
            var truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0
            for (similarity, isSame) in zip(similarities, labels) {
                let accepted = similarity > threshold
                switch (accepted, isSame) {
                case (true, true): truePositives += 1
                case (true, false): falsePositives += 1
                case (false, false): trueNegatives += 1
                case (false, true): falseNegatives += 1
                }
            }
            let recall = truePositives + falseNegatives == 0 ? 0 : Double(truePositives) / Double(truePositives + falseNegatives)
            let precision = truePositives + falsePositives == 0 ? 0 : Double(truePositives) / Double(truePositives + falsePositives)
            let f1 = 2 * precision * recall / (precision + recall + 1e-12)
            if f1 > bestF1 {
                bestF1 = f1
                bestAccuracy = Double(truePositives + trueNegatives) / (Double(labels.count) + 1e-12)
            }
            let (falseRejection, falseAcceptance): (Double, Double)
            if sameCount == 0 {
                (falseRejection, falseAcceptance) = (0, 0)
            } else {
                falseRejection = 1 - Double(truePositives) / Double(sameCount)
                falseAcceptance = differentCount == 0 ? 1 : Double(falsePositives) / Double(differentCount)
            }
            let gap = abs(falseRejection - falseAcceptance)
            if gap < smallestGap {
                smallestGap = gap
                equalErrorRate = (falseRejection + falseAcceptance) / 2
            }
        }
        self.bestF1 = bestF1
        self.accuracy = bestAccuracy
        self.equalErrorRate = equalErrorRate
    }
}
