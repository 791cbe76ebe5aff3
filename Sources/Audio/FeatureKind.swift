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

    /// The name used on the command line and in specs.
    public var name: String {
        switch self {
        case .logfbank: return "logfbank"
        case .logmel(.slaney): return "logmel"
        case .logmel(.htk): return "logmel-htk"
        case .spectrogram(true): return "spectrogram"
        case .spectrogram(false): return "power-spectrogram"
        }
    }

    /// Parses a name from the command line or a spec.
    public init?(name: String) {
        switch name {
        case "logfbank": self = .logfbank
        case "logmel": self = .logmel(scale: .slaney)
        case "logmel-htk": self = .logmel(scale: .htk)
        case "spectrogram": self = .spectrogram(logarithmic: true)
        case "power-spectrogram": self = .spectrogram(logarithmic: false)
        default: return nil
        }
    }

    /// All names, for error messages.
    public static let names = ["logfbank", "logmel", "logmel-htk", "spectrogram", "power-spectrogram"]
}
