/// A linear warm-up over the first epochs of a training stage, step by step: the factor the
/// learning rate (`pretrain.warmup`) or the AAM margin (`pretrain.aam_margin_warmup`) is scaled
/// by rises from 1/steps to 1 over `epochs` epochs, then stays 1. It is a function of the global
/// step only, which the resume state keeps, so a resumed run warms up exactly as an unbroken one.
public struct LinearWarmup: Equatable, Sendable, Codable {
    /// The epochs the warm-up lasts.
    public let epochs: Int

    /// A warm-up over `epochs` (at least 1) epochs.
    public init(epochs: Int) {
        precondition(epochs >= 1, "a warm-up lasts at least one epoch")
        self.epochs = epochs
    }

    /// The factor for the 0-based global `step` about to run, with `stepsPerEpoch` steps an epoch.
    public func factor(step: Int, stepsPerEpoch: Int) -> Double {
        min(1, Double(step + 1) / Double(epochs * max(stepsPerEpoch, 1)))
    }
}

extension Optional where Wrapped == LinearWarmup {
    /// The factor, or 1 without a warm-up.
    func factor(step: Int, stepsPerEpoch: Int) -> Double { self?.factor(step: step, stepsPerEpoch: stepsPerEpoch) ?? 1 }
}
