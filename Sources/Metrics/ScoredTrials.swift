/// Verification trials: one score and one label (target or non-target) per trial.
public struct ScoredTrials: Sendable {
    /// The score of each trial; larger means more likely a target.
    public let scores: [Double]
    /// Whether each trial is a target (same speaker, or an enrolled member).
    public let labels: [Bool]

    /// Creates trials; the two arrays must be the same length and hold both classes.
    public init(scores: [Double], labels: [Bool]) throws {
        guard scores.count == labels.count else {
            throw MetricError.mismatchedLengths(scores: scores.count, labels: labels.count)
        }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw MetricError.nonFiniteScore(index: bad)
        }
        guard labels.contains(true), labels.contains(false) else { throw MetricError.singleClass }
        self.scores = scores
        self.labels = labels
    }

    /// The number of target trials.
    public var targetCount: Int { labels.lazy.filter { $0 }.count }
    /// The number of non-target trials.
    public var nonTargetCount: Int { labels.count - targetCount }
}

/// A score set that metrics cannot be computed on.
public enum MetricError: Error, Equatable, CustomStringConvertible {
    /// Scores and labels differ in length.
    case mismatchedLengths(scores: Int, labels: Int)
    /// Only targets or only non-targets: rates would divide by zero.
    case singleClass
    /// A score is NaN or infinite.
    case nonFiniteScore(index: Int)
    /// A metric name that is not in the registry.
    case unknownMetric(String, known: [String])
    /// Scores that cannot calibrate: targets and non-targets separate completely.
    case separable

    public var description: String {
        switch self {
        case let .mismatchedLengths(scores, labels):
            return "\(scores) scores but \(labels) labels; every trial needs one of each"
        case .singleClass:
            return "the trials hold only one class; metrics need both targets (label 1) and non-targets (label 0)"
        case let .nonFiniteScore(index):
            return "score of trial \(index + 1) is not a finite number"
        case let .unknownMetric(name, known):
            return "unknown metric '\(name)'; known: \(known.joined(separator: ", "))"
        case .separable:
            return "calibration needs targets and non-targets whose scores overlap; these separate completely, so no finite calibration is best (hold out more calibration speakers)"
        }
    }
}
