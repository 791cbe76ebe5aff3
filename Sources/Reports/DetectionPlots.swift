import Metrics

/// ROC and DET plots of detection curves.
public enum DetectionPlots {
    /// ROC: true-positive rate against false-alarm rate, linear axes.
    public static func roc(_ curves: DetectionCurves, title: String = "ROC") -> String {
        let points = zip(curves.falseAlarmRates, curves.missRates).map { (x: $0, y: 1 - $1) }
        var plot = LinePlot(title: title, xAxis: Axis(title: "false-alarm rate", lower: 0, upper: 1),
                            yAxis: Axis(title: "true-positive rate", lower: 0, upper: 1),
                            series: [LinePlot.Series(name: "", points: [(0, 0)] + points)])
        plot.diagonal = true
        return plot.svg()
    }

    /// DET: miss rate against false-alarm rate on normal-deviate (probit) axes, 0.1% to 60%; with
    /// `equalErrorRate`, the EER point and its 95 % interval marked on the diagonal.
    public static func det(_ curves: DetectionCurves, title: String = "DET", equalErrorRate: ConfidenceInterval? = nil) -> String {
        let lower = 0.001, upper = 0.6
        let points = zip(curves.falseAlarmRates, curves.missRates)
            .filter { $0 > 0 && $1 > 0 && $0 < 1 && $1 < 1 }
            .map { (x: min(max($0, lower), upper), y: min(max($1, lower), upper)) }
        var plot = LinePlot(title: title, xAxis: Axis(title: "false-alarm rate", lower: lower, upper: upper, scale: .probit),
                            yAxis: Axis(title: "miss rate", lower: lower, upper: upper, scale: .probit),
                            series: [LinePlot.Series(name: "", points: points)])
        plot.diagonal = true
        if let eer = equalErrorRate {
            let clamp = { (value: Double) in min(max(value, lower), upper) }
            plot.intervalMarker = (clamp(eer.estimate), clamp(eer.lower), clamp(eer.upper),
                                   String(format: "EER %.2f%% [%.2f, %.2f]", 100 * eer.estimate, 100 * eer.lower, 100 * eer.upper))
        }
        return plot.svg()
    }
}
