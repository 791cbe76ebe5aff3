#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The two mel scales in use: HTK's 2595·log10(1 + f/700), and Slaney's (Auditory Toolbox,
/// librosa's default) which is linear below 1 kHz and logarithmic above.
public enum MelScale: String, Equatable, Sendable, Codable {
    /// 2595·log10(1 + f/700), as python_speech_features and HTK use.
    case htk
    /// Linear to 1 kHz (200/3 Hz per mel), then log steps of ln(6.4)/27, as librosa uses by default.
    case slaney

    /// Hertz to mels.
    public func mel(_ hertz: Double) -> Double {
        switch self {
        case .htk:
            return 2595 * log10(1 + hertz / 700)
        case .slaney:
            let linearStep = 200.0 / 3, logStart = 1000.0, logStep = log(6.4) / 27
            return hertz >= logStart ? logStart / linearStep + log(hertz / logStart) / logStep : hertz / linearStep
        }
    }

    /// Mels to hertz.
    public func hertz(_ mel: Double) -> Double {
        switch self {
        case .htk:
            return 700 * (pow(10, mel / 2595) - 1)
        case .slaney:
            let linearStep = 200.0 / 3, logStart = 1000.0, logStep = log(6.4) / 27
            let logStartMel = logStart / linearStep
            return mel >= logStartMel ? logStart * exp(logStep * (mel - logStartMel)) : mel * linearStep
        }
    }

    /// `count` points evenly spaced in mels from `low` to `high` Hz, returned in Hz.
    func points(count: Int, low: Double, high: Double) -> [Double] {
        let lowMel = mel(low), highMel = mel(high)
        return (0..<count).map { hertz(lowMel + (highMel - lowMel) * Double($0) / Double(count - 1)) }
    }
}
