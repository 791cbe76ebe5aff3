/// Cumulative counts of accepted targets and non-targets at every distinct score threshold,
/// from the highest score down: the one sort all curve metrics share (sklearn `_binary_clf_curve`).
public struct OperatingPoints: Sendable {
    /// Distinct thresholds in descending order; point i accepts every score ≥ thresholds[i].
    public let thresholds: [Double]
    /// Targets accepted at each threshold (true positives).
    public let acceptedTargets: [Int]
    /// Non-targets accepted at each threshold (false positives).
    public let acceptedNonTargets: [Int]
    /// All targets.
    public let targetCount: Int
    /// All non-targets.
    public let nonTargetCount: Int

    /// Sorts the trials once, O(n log n), and accumulates the counts.
    public init(_ trials: ScoredTrials) {
        // Sort indices by score, descending; ties collapse into one threshold, so their order is irrelevant.
        let order = trials.scores.indices.sorted { trials.scores[$0] > trials.scores[$1] }
        var thresholds: [Double] = []
        var targets: [Int] = []
        var nonTargets: [Int] = []
        thresholds.reserveCapacity(order.count)
        targets.reserveCapacity(order.count)
        nonTargets.reserveCapacity(order.count)
        var truePositives = 0
        var falsePositives = 0
        for (position, index) in order.enumerated() {
            if trials.labels[index] { truePositives += 1 } else { falsePositives += 1 }
            let isLastOfTie = position == order.count - 1 || trials.scores[order[position + 1]] != trials.scores[index]
            if isLastOfTie {
                thresholds.append(trials.scores[index])
                targets.append(truePositives)
                nonTargets.append(falsePositives)
            }
        }
        self.thresholds = thresholds
        self.acceptedTargets = targets
        self.acceptedNonTargets = nonTargets
        self.targetCount = truePositives
        self.nonTargetCount = falsePositives
    }

    /// Counts accumulated elsewhere (a bootstrap replicate's).
    init(thresholds: [Double], acceptedTargets: [Int], acceptedNonTargets: [Int], targetCount: Int, nonTargetCount: Int) {
        (self.thresholds, self.acceptedTargets, self.acceptedNonTargets) = (thresholds, acceptedTargets, acceptedNonTargets)
        (self.targetCount, self.nonTargetCount) = (targetCount, nonTargetCount)
    }

    /// The false-rejection (miss) rate at point i.
    public func missRate(_ i: Int) -> Double { 1 - Double(acceptedTargets[i]) / Double(targetCount) }
    /// The false-acceptance rate at point i.
    public func falseAlarmRate(_ i: Int) -> Double { Double(acceptedNonTargets[i]) / Double(nonTargetCount) }
}

/// Trials sorted once by score, descending, with the ends of each group of tied scores: what
/// every bootstrap replicate's `OperatingPoints` is accumulated from.
public struct TrialOrder: Sendable {
    /// The trials' scores and labels, in their own order.
    public let scores: [Double], labels: [Bool]
    /// Trial indices by descending score.
    public let sorted: [Int]
    /// For each group of equal scores, the position in `sorted` just past it.
    public let groupEnds: [Int]

    /// Sorts the trials.
    public init(_ trials: ScoredTrials) {
        scores = trials.scores
        labels = trials.labels
        let scores = trials.scores
        sorted = scores.indices.sorted { scores[$0] > scores[$1] }
        var ends: [Int] = []
        for position in sorted.indices where position == sorted.count - 1 || scores[sorted[position + 1]] != scores[sorted[position]] {
            ends.append(position + 1)
        }
        groupEnds = ends
    }
}
