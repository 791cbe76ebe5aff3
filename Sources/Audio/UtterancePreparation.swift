import Foundation

/// Every intermediate of one utterance's preparation, for inspection plots and feature export.
public struct PreparedUtterance: Sendable {
    /// The file it came from.
    public let path: String
    /// The audio as read and resampled, before VAD.
    public let original: AudioSignal
    /// What VAD kept (nil when VAD is off).
    public let voiceActivity: VoiceActivityDetector.Result?
    /// The samples after VAD and cut/pad, on the ±1 scale.
    public let cut: [Float]
    /// The features, normalised.
    public let features: FeatureMatrix
}

extension FeatureExtractor {
    /// Reads a file and runs the whole front end: resample, VAD, cut/pad, scale, features, normalisation.
    /// `generator` drives random crops only.
    public func prepare<Generator: RandomNumberGenerator>(path: String, using generator: inout Generator) throws -> PreparedUtterance {
        let (signal, voiceActivity, kept) = try voiced(path: path)
        let cut = settings.cutPad.apply(kept, sampleRate: settings.sampleRate, using: &generator)
        return PreparedUtterance(path: path, original: signal, voiceActivity: voiceActivity, cut: cut, features: normalisedFeatures(of: cut))
    }

    /// The front end after cut/pad: samples (±1 scale) put on the settings' scale, features,
    /// normalisation. Training crops that were augmented on the fly take this path too.
    public func normalisedFeatures(of cut: [Float]) -> FeatureMatrix {
        let amplitudeScale: Float
        switch settings.scale {
        case .int16: amplitudeScale = 32768
        case .unit: amplitudeScale = 1
        case .peak: amplitudeScale = 1 / max(cut.reduce(0) { max($0, abs($1)) }, .leastNormalMagnitude)
        }
        var features = features(of: cut, amplitudeScale: amplitudeScale)
        settings.normalization.apply(to: &features)
        return features
    }

    /// The front end up to VAD: the file read and resampled, and the samples VAD keeps. Throws
    /// every reason a file cannot be used (unreadable, truncated, non-finite, empty, shorter than
    /// one analysis frame, silent, no speech found), so a corpus can be screened before features.
    public func voiced(path: String) throws -> (signal: AudioSignal, voiceActivity: VoiceActivityDetector.Result?, kept: [Float]) {
        let read = try AudioFile.read(path)
        let signal = try Resampler.resample(read, to: settings.sampleRate, path: path)
        guard !signal.samples.isEmpty else { throw AudioError(path: path, reason: "the file holds no samples") }
        let shortest = Self.frameLength(sampleRate: settings.sampleRate)
        guard signal.samples.count >= shortest else {
            throw AudioError(path: path, reason: "too short: \(signal.samples.count * 1000 / settings.sampleRate) ms, less than one 25 ms analysis frame")
        }
        guard signal.samples.contains(where: { $0 != 0 }) else {
            throw AudioError(path: path, reason: "the file is silent (every sample is zero)")
        }
        guard let decision = settings.voiceDecision else { return (signal, nil, signal.samples) }
        let result = VoiceActivityDetector(decision: decision).detect(signal)
        guard !result.samples.isEmpty else {
            throw AudioError(path: path, reason: "no speech found by VAD (\(decision)); try a lower aggressiveness (features.aggressiveness, --vad adaptive0) or no VAD (features.vad: none, --vad none)")
        }
        return (signal, result, result.samples)
    }

    /// The whole front end for a file with a deterministic cut policy.
    public func prepare(path: String) throws -> PreparedUtterance {
        var unused = SystemRandomNumberGenerator()
        if case .randomCrop = settings.cutPad { preconditionFailure("a random crop needs a generator: call prepare(path:using:)") }
        return try prepare(path: path, using: &unused)
    }
}
