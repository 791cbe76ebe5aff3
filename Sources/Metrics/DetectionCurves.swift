/// ROC and DET curves as data: one row per operating point, from the strictest threshold down.
public struct DetectionCurves: Sendable {
    /// Thresholds (accept score ≥ threshold).
    public let thresholds: [Double]
    /// False-alarm rates.
    public let falseAlarmRates: [Double]
    /// Miss rates (1 − true-positive rate).
    public let missRates: [Double]

    /// Every distinct threshold of the trials (no points dropped), capped at `maximumPoints` by even thinning.
    public init(_ points: OperatingPoints, maximumPoints: Int = 2000) {
        let stride = max(1, points.thresholds.count / maximumPoints)
        var keep = Swift.stride(from: 0, to: points.thresholds.count, by: stride).map { $0 }
        if keep.last != points.thresholds.count - 1 { keep.append(points.thresholds.count - 1) }
        thresholds = keep.map { points.thresholds[$0] }
        falseAlarmRates = keep.map { points.falseAlarmRate($0) }
        missRates = keep.map { points.missRate($0) }
    }

    /// CSV with columns threshold, false_alarm_rate, miss_rate, true_positive_rate.
    public var csv: String {
        var lines = ["threshold,false_alarm_rate,miss_rate,true_positive_rate"]
        for index in thresholds.indices {
            lines.append("\(thresholds[index]),\(falseAlarmRates[index]),\(missRates[index]),\(1 - missRates[index])")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
