#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A plot axis: a data range mapped onto a pixel range, linearly or on a probit (normal
/// deviate) scale as DET curves use, with tick positions and labels.
public struct Axis: Sendable {
    /// How data values map to positions.
    public enum Scale: Sendable { case linear, probit }

    /// The axis title.
    public let title: String
    /// The smallest data value shown.
    public let lower: Double
    /// The largest data value shown.
    public let upper: Double
    /// The mapping.
    public let scale: Scale

    /// Creates an axis over [lower, upper].
    public init(title: String, lower: Double, upper: Double, scale: Scale = .linear) {
        precondition(upper > lower, "axis '\(title)' needs upper > lower, got [\(lower), \(upper)]")
        precondition(scale == .linear || (lower > 0 && upper < 1), "a probit axis shows probabilities strictly inside (0, 1)")
        self.title = title
        self.lower = lower
        self.upper = upper
        self.scale = scale
    }

    /// The fraction [0, 1] along the axis where a value sits (clamped).
    public func fraction(_ value: Double) -> Double {
        switch scale {
        case .linear:
            return min(1, max(0, (value - lower) / (upper - lower)))
        case .probit:
            let clamped = min(upper, max(lower, value))
            return (Self.probit(clamped) - Self.probit(lower)) / (Self.probit(upper) - Self.probit(lower))
        }
    }

    /// Tick values with their labels.
    public var ticks: [(value: Double, label: String)] {
        switch scale {
        case .probit:
            let candidates = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.98, 0.99]
            return candidates.filter { $0 >= lower && $0 <= upper }.map { ($0, Self.label($0 * 100) + "%") }
        case .linear:
            let step = Self.niceStep((upper - lower) / 5)
            var value = (lower / step).rounded(.up) * step
            var ticks: [(Double, String)] = []
            while value <= upper + step * 1e-9 {
                ticks.append((value, Self.label(abs(value) < step * 1e-9 ? 0 : value)))
                value += step
            }
            return ticks
        }
    }

    /// 1, 2 or 5 times a power of ten, at least `rough`.
    static func niceStep(_ rough: Double) -> Double {
        let power = pow(10, floor(log10(rough)))
        for multiple in [1.0, 2, 5, 10] where multiple * power >= rough { return multiple * power }
        return 10 * power
    }

    /// A short label: no trailing zeros, at most four significant digits.
    static func label(_ value: Double) -> String {
        var text = String(format: "%.4g", value)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9).
    static func probit(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = sqrt(-2 * log(p))
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low {
            let q = sqrt(-2 * log(1 - p))
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
