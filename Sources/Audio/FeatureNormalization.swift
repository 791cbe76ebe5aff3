/// How features are normalised after extraction.
public enum FeatureNormalization: String, Equatable, Sendable, Codable, CaseIterable {
    /// Each frame standardised over its bands, population std floored at 1e-12 (reference §2.7, era B).
    case perFrame = "per-frame"
    /// Each band standardised over the utterance's frames (cepstral mean and variance normalisation).
    case perUtterance = "cmvn"
    /// Raw values (era A).
    case none

    /// Normalises a matrix in place.
    public func apply(to features: inout FeatureMatrix) {
        let frames = features.frames, bands = features.bands
        features.values.withUnsafeMutableBufferPointer { values in
            switch self {
            case .none:
                return
            case .perFrame:
                for frame in 0..<frames {
                    let row = UnsafeMutableBufferPointer(rebasing: values[(frame * bands)..<((frame + 1) * bands)])
                    var mean: Double = 0
                    for value in row { mean += Double(value) }
                    mean /= Double(bands)
                    var variance: Double = 0
                    for value in row { variance += (Double(value) - mean) * (Double(value) - mean) }
                    let deviation = max((variance / Double(bands)).squareRoot(), 1e-12)
                    for index in row.indices { row[index] = Float((Double(row[index]) - mean) / deviation) }
                }
            case .perUtterance:
                for band in 0..<bands {
                    var mean: Double = 0
                    for frame in 0..<frames { mean += Double(values[frame * bands + band]) }
                    mean /= Double(frames)
                    var variance: Double = 0
                    for frame in 0..<frames {
                        let difference = Double(values[frame * bands + band]) - mean
                        variance += difference * difference
                    }
                    let deviation = max((variance / Double(frames)).squareRoot(), 1e-12)
                    for frame in 0..<frames {
                        values[frame * bands + band] = Float((Double(values[frame * bands + band]) - mean) / deviation)
                    }
                }
            }
        }
    }
}
