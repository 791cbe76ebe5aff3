#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The log-likelihood-ratio cost Cllr (Brümmer and du Preez, 2006) of scores read as natural-log
/// likelihood ratios: ½·(mean log2(1 + e^−s) over targets + mean log2(1 + e^s) over non-targets).
/// 0 is perfect, 1 is an uninformative but calibrated system.
public func logLikelihoodRatioCost(_ trials: ScoredTrials) -> Double {
    var targetSum = 0.0
    var nonTargetSum = 0.0
    for (score, isTarget) in zip(trials.scores, trials.labels) {
        if isTarget { targetSum += softplus(-score) } else { nonTargetSum += softplus(score) }
    }
    let natsToBits = 1 / log(2.0)
    return 0.5 * natsToBits * (targetSum / Double(trials.targetCount) + nonTargetSum / Double(trials.nonTargetCount))
}

/// log(1 + e^x) without overflow.
private func softplus(_ x: Double) -> Double {
    x > 30 ? x : log1p(exp(x))
}

/// Natural logarithm, shared with the cost code.
func _logarithm(_ x: Double) -> Double { log(x) }
