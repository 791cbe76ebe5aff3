/// Features of one utterance: `frames × bands` Float32 values, row-major (time first, as the
/// seed's (299, 40) arrays).
public struct FeatureMatrix: Equatable, Sendable {
    /// The number of frames (rows).
    public let frames: Int
    /// The number of bands or bins per frame (columns).
    public let bands: Int
    /// The values, frame after frame.
    public var values: [Float]

    /// Creates a matrix; `values.count` must be `frames · bands`.
    public init(frames: Int, bands: Int, values: [Float]) {
        precondition(values.count == frames * bands, "\(frames)×\(bands) features need \(frames * bands) values, got \(values.count)")
        self.frames = frames
        self.bands = bands
        self.values = values
    }

    /// The value at one frame and band.
    public subscript(frame: Int, band: Int) -> Float { values[frame * bands + band] }
}
