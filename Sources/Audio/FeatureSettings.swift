/// The scale samples are put on before features are taken.
public enum SampleScale: String, Equatable, Sendable, Codable, CaseIterable {
    /// The int16 integer scale (±32768), as the seed's HEAD passes samples to `logfbank`.
    case int16
    /// Divided by the utterance's peak absolute value (the seed's era A).
    case peak
    /// Full scale ±1, as librosa loads audio.
    case unit
}

/// Everything that turns an audio file into a feature matrix; each field is a named choice.
public struct FeatureSettings: Equatable, Sendable, Codable {
    /// The rate every file is resampled to (libsoxr) before anything else.
    public var sampleRate: Int
    /// The per-frame voice decision under the seed's segment collector; nil keeps every sample.
    public var voiceDecision: VoiceDecision?
    /// How utterances are brought to a fixed length after VAD.
    public var cutPad: CutPad
    /// The features taken.
    public var kind: FeatureKind
    /// Mel bands (ignored by spectrograms, which have NFFT/2 + 1 bins).
    public var bands: Int
    /// The sample scale features see.
    public var scale: SampleScale
    /// The normalisation applied to the features.
    public var normalization: FeatureNormalization

    /// The seed's HEAD pipeline (era B), with SpeakerLab's adaptive detector standing in for webrtcvad.
    public init(sampleRate: Int = 16000, voiceDecision: VoiceDecision? = .adaptive(aggressiveness: 1),
                cutPad: CutPad = .seed(seconds: 3), kind: FeatureKind = .logfbank, bands: Int = 40,
                scale: SampleScale = .int16, normalization: FeatureNormalization = .perFrame) {
        self.sampleRate = sampleRate
        self.voiceDecision = voiceDecision
        self.cutPad = cutPad
        self.kind = kind
        self.bands = bands
        self.scale = scale
        self.normalization = normalization
    }

    /// The seed's era A pipeline: peak-normalised samples, raw log-mel, no normalisation.
    public static let seedEraA = FeatureSettings(scale: .peak, normalization: .none)
}
