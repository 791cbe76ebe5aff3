/// The standard equal error rate: the miss and false-alarm curves, walked over every distinct
/// threshold, linearly interpolated at the point where they cross.
public struct EqualErrorRate: Sendable, Equatable {
    /// The rate where miss rate equals false-alarm rate.
    public let rate: Double
    /// A score threshold at the crossing (the midpoint of the two bracketing thresholds).
    public let threshold: Double

    /// Computes the interpolated EER from the shared operating points.
    public init(_ points: OperatingPoints) {
        // Point −1 is "accept nothing": miss 1, false alarm 0.
        var previousMiss = 1.0
        var previousFalseAlarm = 0.0
        var previousThreshold = Double.infinity
        for i in points.thresholds.indices {
            let miss = points.missRate(i)
            let falseAlarm = points.falseAlarmRate(i)
            if miss <= falseAlarm {
                let before = previousMiss - previousFalseAlarm  // > 0
                let after = miss - falseAlarm                    // ≤ 0
                let fraction = before / (before - after)
                rate = previousFalseAlarm + fraction * (falseAlarm - previousFalseAlarm)
                threshold = previousThreshold.isFinite ? (previousThreshold + points.thresholds[i]) / 2 : points.thresholds[i]
                return
            }
            previousMiss = miss
            previousFalseAlarm = falseAlarm
            previousThreshold = points.thresholds[i]
        }
        // Unreachable: at the lowest threshold every trial is accepted, so miss = 0 ≤ false alarm = 1.
        rate = 0.5
        threshold = points.thresholds.last ?? 0
    }
}
