#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Linear logistic calibration: raw scores s become natural-log likelihood ratios
/// `llr = scale·s + offset`, the two numbers fitted by minimising the prior-weighted
/// cross-entropy at an effective target prior of ½ (targets and non-targets weigh the same in
/// total, whatever their counts), which is minimising Cllr over affine maps (Brümmer and
/// du Preez 2006; the BOSARIS toolkit's linear calibration). Fitted by Newton's method with
/// backtracking; the problem is convex, and its optimum finite unless the classes separate.
public struct LinearCalibration: Sendable, Equatable, Codable {
    /// The slope applied to raw scores.
    public let scale: Double
    /// The offset added after scaling.
    public let offset: Double

    /// A calibration with these parameters.
    public init(scale: Double, offset: Double) {
        self.scale = scale
        self.offset = offset
    }

    /// The log-likelihood ratio of a raw score.
    public func llr(_ score: Double) -> Double { scale * score + offset }

    /// The raw score whose log-likelihood ratio is `llr` (scale > 0).
    public func score(atLLR llr: Double) -> Double { (llr - offset) / scale }

    /// The trials with their scores calibrated.
    public func apply(_ trials: ScoredTrials) -> ScoredTrials {
        try! ScoredTrials(scores: trials.scores.map(llr), labels: trials.labels)
    }

    /// Fits the calibration to labelled trials; throws when targets and non-targets do not
    /// overlap (then any steeper slope is better, and there is no optimum).
    public static func fit(_ trials: ScoredTrials) throws -> LinearCalibration {
        let targets = zip(trials.scores, trials.labels).filter(\.1).map(\.0)
        let nonTargets = zip(trials.scores, trials.labels).filter { !$0.1 }.map(\.0)
        guard let lowestTarget = targets.min(), let highestNonTarget = nonTargets.max(), lowestTarget <= highestNonTarget else {
            throw MetricError.separable
        }
        let targetWeight = 0.5 / Double(targets.count), nonTargetWeight = 0.5 / Double(nonTargets.count)
        // Loss, gradient and Hessian of Σ w·log(1 + e^(−y(a·s + b))) with y = ±1.
        func evaluate(_ a: Double, _ b: Double, derivatives: Bool) -> (loss: Double, gradient: (Double, Double), hessian: (Double, Double, Double)) {
            var loss = 0.0, ga = 0.0, gb = 0.0, haa = 0.0, hab = 0.0, hbb = 0.0
            for (scores, sign, weight) in [(targets, 1.0, targetWeight), (nonTargets, -1.0, nonTargetWeight)] {
                for s in scores {
                    let margin = sign * (a * s + b)
                    loss += weight * (margin > 30 ? exp(-margin) : (margin < -30 ? -margin : log1p(exp(-margin))))
                    guard derivatives else { continue }
                    let p = 1 / (1 + exp(margin))           // σ(−margin)
                    ga -= weight * sign * p * s
                    gb -= weight * sign * p
                    let curvature = weight * p * (1 - p)
                    haa += curvature * s * s
                    hab += curvature * s
                    hbb += curvature
                }
            }
            return (loss, (ga, gb), (haa, hab, hbb))
        }
        var (a, b) = (1.0, 0.0)
        var current = evaluate(a, b, derivatives: true)
        for _ in 0..<200 {
            let (ga, gb) = current.gradient, (haa, hab, hbb) = current.hessian
            let determinant = haa * hbb - hab * hab
            guard determinant > 0 else { break }
            let (stepA, stepB) = ((hbb * ga - hab * gb) / determinant, (haa * gb - hab * ga) / determinant)
            var length = 1.0
            var next = evaluate(a - stepA, b - stepB, derivatives: false)
            while next.loss > current.loss && length > 1e-10 {
                length /= 2
                next = evaluate(a - length * stepA, b - length * stepB, derivatives: false)
            }
            if next.loss > current.loss { break }
            a -= length * stepA
            b -= length * stepB
            current = evaluate(a, b, derivatives: true)
            if abs(length * stepA) < 1e-13 * max(1, abs(a)) && abs(length * stepB) < 1e-13 * max(1, abs(b)) { break }
        }
        return LinearCalibration(scale: a, offset: b)
    }
}
