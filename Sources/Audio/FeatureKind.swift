/// Which time-frequency features an utterance becomes.
public enum FeatureKind: Equatable, Sendable, Codable {
    /// python_speech_features 0.6 `logfbank` (reference §2.5): pre-emphasis 0.97, 25/10 ms
    /// rectangular frames, NFFT 512, |X|²/512, HTK-mel triangles, eps floor, natural log.
    case logfbank
    /// librosa `melspectrogram` (Hann, centred frames, NFFT 512, 25/10 ms, power 2) then
    /// log(S + 1e-6), with Slaney or HTK mel.
    case logmel(scale: MelScale)
    /// Linear power spectrogram |X|² over NFFT/2 + 1 bins of Hamming-windowed 25/10 ms frames,
    /// log(S + 1e-6) when `logarithmic` (VGGVox-style input).
    case spectrogram(logarithmic: Bool)
    /// Mel-frequency cepstral coefficients: `logfbank` over `bands` filters, then the orthonormal
    /// DCT-II along the bands, keeping the first `coefficients` (c0 included) — python_speech_features
    /// 0.6 `mfcc` with `ceplifter=0, appendEnergy=False` (a lifter only rescales each coefficient).
    case mfcc(coefficients: Int)

    /// The default number of cepstral coefficients (the classical baseline's 20).
    public static let defaultCoefficients = 20

    /// The name used on the command line and in specs.
    public var name: String {
        switch self {
        case .logfbank: return "logfbank"
        case .logmel(.slaney): return "logmel"
        case .logmel(.htk): return "logmel-htk"
        case .spectrogram(true): return "spectrogram"
        case .spectrogram(false): return "power-spectrogram"
        case .mfcc: return "mfcc"
        }
    }

    /// Parses a name from the command line or a spec; `coefficients` is MFCC's (nil: 20).
    public init?(name: String, coefficients: Int? = nil) {
        switch name {
        case "logfbank": self = .logfbank
        case "logmel": self = .logmel(scale: .slaney)
        case "logmel-htk": self = .logmel(scale: .htk)
        case "spectrogram": self = .spectrogram(logarithmic: true)
        case "power-spectrogram": self = .spectrogram(logarithmic: false)
        case "mfcc": self = .mfcc(coefficients: coefficients ?? Self.defaultCoefficients)
        default: return nil
        }
    }

    /// All names, for error messages.
    public static let names = ["logfbank", "logmel", "logmel-htk", "spectrogram", "power-spectrogram", "mfcc"]
}

extension FeatureKind {
    /// Whether the features are cepstral coefficients (MFCC) rather than a spectrum.
    public var isCepstral: Bool { if case .mfcc = self { true } else { false } }
}
