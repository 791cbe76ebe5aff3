#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A learning rate as a function of the epoch (and, for plateau reduction, the validation loss).
public enum LearningRateSchedule: Equatable, Sendable, Codable {
    /// The base rate throughout.
    case constant
    /// Multiplied by `factor` every `every` epochs.
    case step(every: Int, factor: Double)
    /// Multiplied by `factor` each epoch.
    case exponential(factor: Double)
    /// Linear warm-up over `warmup` epochs, then cosine decay to `minimum`·base at `total` epochs.
    case cosine(warmup: Int, total: Int, minimum: Double)

    /// The rate for a 0-based epoch.
    public func rate(base: Double, epoch: Int) -> Double {
        switch self {
        case .constant:
            return base
        case let .step(every, factor):
            return base * pow(factor, Double(epoch / max(every, 1)))
        case let .exponential(factor):
            return base * pow(factor, Double(epoch))
        case let .cosine(warmup, total, minimum):
            if epoch < warmup { return base * Double(epoch + 1) / Double(warmup) }
            let progress = min(1, Double(epoch - warmup) / Double(max(total - warmup, 1)))
            return base * (minimum + (1 - minimum) * 0.5 * (1 + cos(Double.pi * progress)))
        }
    }
}

/// Keras `ReduceLROnPlateau`: multiply the rate by `factor` when the monitored loss has not improved
/// by more than `minimumDelta` for `patience` epochs; then wait `cooldown` epochs.
public struct PlateauReduction: Equatable, Sendable, Codable {
    public let factor: Double
    public let patience: Int
    public let minimumDelta: Double
    public let minimumRate: Double
    public private(set) var best = Double.infinity
    public private(set) var wait = 0

    /// Creates the rule; defaults are the seed's (×0.1, patience 10, min_delta 1e-4).
    public init(factor: Double = 0.1, patience: Int = 10, minimumDelta: Double = 1e-4, minimumRate: Double = 0) {
        self.factor = factor
        self.patience = patience
        self.minimumDelta = minimumDelta
        self.minimumRate = minimumRate
    }

    /// Reports an epoch's validation loss; returns the new rate.
    public mutating func update(loss: Double, rate: Double) -> Double {
        if loss < best - minimumDelta {
            best = loss
            wait = 0
            return rate
        }
        wait += 1
        guard wait >= patience else { return rate }
        wait = 0
        return max(rate * factor, minimumRate)
    }
}
