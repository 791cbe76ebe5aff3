/// SpecAugment-style masking (Park et al., "SpecAugment", Interspeech 2019, without time
/// warping): bands of consecutive frames and of consecutive feature bins set to zero, the mean
/// of per-frame-normalised features.
public struct FeatureMasking: Equatable, Sendable, Codable {
    /// Time masks per crop.
    public var timeMasks: Int
    /// A time mask's widest span in frames (each drawn uniformly in 0…this).
    public var timeWidth: Int
    /// Frequency masks per crop.
    public var frequencyMasks: Int
    /// A frequency mask's widest span in bins.
    public var frequencyWidth: Int

    /// Creates the settings.
    public init(timeMasks: Int, timeWidth: Int, frequencyMasks: Int, frequencyWidth: Int) {
        self.timeMasks = timeMasks
        self.timeWidth = timeWidth
        self.frequencyMasks = frequencyMasks
        self.frequencyWidth = frequencyWidth
    }

    /// Masks `features` in place; every draw comes from `generator`.
    public func apply<Generator: RandomNumberGenerator>(to features: inout FeatureMatrix, using generator: inout Generator) {
        let (frames, bands) = (features.frames, features.bands)
        for _ in 0..<timeMasks {
            let width = Int.random(in: 0...min(timeWidth, frames), using: &generator)
            let start = Int.random(in: 0...(frames - width), using: &generator)
            for frame in start..<(start + width) {
                for band in 0..<bands { features.values[frame * bands + band] = 0 }
            }
        }
        for _ in 0..<frequencyMasks {
            let width = Int.random(in: 0...min(frequencyWidth, bands), using: &generator)
            let start = Int.random(in: 0...(bands - width), using: &generator)
            for frame in 0..<frames {
                for band in start..<(start + width) { features.values[frame * bands + band] = 0 }
            }
        }
    }
}
