/// How an utterance is brought to a fixed length after VAD.
public enum CutPad: Equatable, Sendable, Codable {
    /// The seed's `cut_audio`: zero-pad at the end, or take the centre crop
    /// `[(n − L)/2, (n + L)/2)` (reference §2.4).
    case seed(seconds: Double)
    /// A uniformly random crop of L samples (zero-padded at the end when shorter), for training.
    case randomCrop(seconds: Double)
    /// Keep the length as it is.
    case none
    /// Keep the length, zero-padding at the end to at least L samples (whole-utterance scoring).
    case atLeast(seconds: Double)

    /// Applies the policy; `generator` is used only by `randomCrop`.
    public func apply<Generator: RandomNumberGenerator>(_ samples: [Float], sampleRate: Int, using generator: inout Generator) -> [Float] {
        switch self {
        case .none:
            return samples
        case let .atLeast(seconds):
            let length = Int(seconds * Double(sampleRate))
            return samples.count >= length ? samples : samples + Array(repeating: 0, count: length - samples.count)
        case let .seed(seconds):
            let length = Int(seconds * Double(sampleRate))
            if samples.count < length { return samples + Array(repeating: 0, count: length - samples.count) }
            let start = (samples.count - length) / 2
            return Array(samples[start..<(start + length)])
        case let .randomCrop(seconds):
            let length = Int(seconds * Double(sampleRate))
            if samples.count <= length { return samples + Array(repeating: 0, count: length - samples.count) }
            let start = Int.random(in: 0...(samples.count - length), using: &generator)
            return Array(samples[start..<(start + length)])
        }
    }

    /// Applies a deterministic policy (`seed` or `none`).
    public func apply(_ samples: [Float], sampleRate: Int) -> [Float] {
        if case .randomCrop = self { preconditionFailure("a random crop needs a generator: call apply(_:sampleRate:using:)") }
        var unused = SystemRandomNumberGenerator()
        return apply(samples, sampleRate: sampleRate, using: &unused)
    }
}
