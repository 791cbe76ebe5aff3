/// Speed perturbation (Ko et al., "Audio augmentation for speech recognition", Interspeech
/// 2015): the samples played `factor` times faster, so tempo and pitch both change, by
/// resampling from rate·factor to the rate (libsoxr).
public enum SpeedPerturbation {
    /// The samples at `factor` times the speed (1.1: 10 % faster, 1/1.1 as long).
    public static func apply(_ samples: [Float], factor: Double, sampleRate: Int) throws -> [Float] {
        guard factor != 1 else { return samples }
        let played = AudioSignal(samples: samples, sampleRate: Int((Double(sampleRate) * factor).rounded()))
        return try Resampler.resample(played, to: sampleRate).samples
    }
}
