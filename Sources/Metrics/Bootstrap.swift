/// A two-sided percentile confidence interval.
public struct ConfidenceInterval: Sendable, Equatable {
    /// The metric on the original trials.
    public let estimate: Double
    /// The lower percentile bound.
    public let lower: Double
    /// The upper percentile bound.
    public let upper: Double

    /// An interval from its parts.
    public init(estimate: Double, lower: Double, upper: Double) {
        (self.estimate, self.lower, self.upper) = (estimate, lower, upper)
    }
}

/// A bootstrap confidence interval for a metric: targets and non-targets are resampled
/// separately (so each replicate keeps the class balance) with the caller's seeded generator.
public func bootstrapInterval<Generator: RandomNumberGenerator>(
    _ trials: ScoredTrials,
    replicates: Int = 1000,
    confidence: Double = 0.95,
    using generator: inout Generator,
    metric: (ScoredTrials) throws -> Double
) throws -> ConfidenceInterval {
    precondition(replicates > 1 && confidence > 0 && confidence < 1, "bootstrap needs > 1 replicate and a confidence in (0, 1)")
    let targets = trials.scores.indices.filter { trials.labels[$0] }.map { trials.scores[$0] }
    let nonTargets = trials.scores.indices.filter { !trials.labels[$0] }.map { trials.scores[$0] }
    let labels = Array(repeating: true, count: targets.count) + Array(repeating: false, count: nonTargets.count)
    var values: [Double] = []
    values.reserveCapacity(replicates)
    var scores = [Double](repeating: 0, count: labels.count)
    for _ in 0..<replicates {
        for i in 0..<targets.count { scores[i] = targets[Int.random(in: 0..<targets.count, using: &generator)] }
        for i in 0..<nonTargets.count { scores[targets.count + i] = nonTargets[Int.random(in: 0..<nonTargets.count, using: &generator)] }
        values.append(try metric(ScoredTrials(scores: scores, labels: labels)))
    }
    values.sort()
    let tail = (1 - confidence) / 2
    func percentile(_ p: Double) -> Double {
        let position = p * Double(values.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, values.count - 1)
        return values[low] + (position - Double(low)) * (values[high] - values[low])
    }
    return ConfidenceInterval(estimate: try metric(trials), lower: percentile(tail), upper: percentile(1 - tail))
}
