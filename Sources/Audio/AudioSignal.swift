/// Mono audio samples in [-1, 1] with their sample rate.
public struct AudioSignal: Equatable, Sendable {
    /// The samples, mono, full scale ±1 (int16 value / 32768).
    public var samples: [Float]
    /// Samples per second.
    public var sampleRate: Int

    /// Creates a signal from mono samples and a rate.
    public init(samples: [Float], sampleRate: Int) {
        precondition(sampleRate > 0, "sample rate must be positive, got \(sampleRate)")
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// The length in seconds.
    public var duration: Double { Double(samples.count) / Double(sampleRate) }

    /// The samples on the int16 scale (×32768), as the seed's feature code receives them.
    public var int16Scaled: [Float] { samples.map { $0 * 32768 } }
}
