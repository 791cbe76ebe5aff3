import Audio
import Tensor

/// Features and speaker labels held in memory for training: every utterance the same size.
public struct TrainingData: Sendable {
    /// One feature matrix per utterance (frames × bands).
    public let features: [FeatureMatrix]
    /// Each utterance's class index.
    public let labels: [Int]
    /// Each utterance's id (for history and trials).
    public let ids: [String]

    /// Creates the set; all matrices must share one shape.
    public init(features: [FeatureMatrix], labels: [Int], ids: [String]) throws {
        guard !features.isEmpty else { throw TrainingError("a training set needs at least one utterance") }
        guard features.count == labels.count, labels.count == ids.count else { throw TrainingError("features, labels and ids differ in count") }
        let (frames, bands) = (features[0].frames, features[0].bands)
        if let index = features.firstIndex(where: { $0.frames != frames || $0.bands != bands }) {
            throw TrainingError("utterance '\(ids[index])' has \(features[index].frames)×\(features[index].bands) features, the first has \(frames)×\(bands); cut or pad every utterance to one length")
        }
        self.features = features
        self.labels = labels
        self.ids = ids
    }

    /// Utterances of any lengths (whole-utterance scoring), embedded one at a time; `batch` is not
    /// for them.
    public init(variableLength features: [FeatureMatrix], labels: [Int], ids: [String]) throws {
        guard !features.isEmpty else { throw TrainingError("a set needs at least one utterance") }
        guard features.count == labels.count, labels.count == ids.count else { throw TrainingError("features, labels and ids differ in count") }
        if let index = features.firstIndex(where: { $0.bands != features[0].bands }) {
            throw TrainingError("utterance '\(ids[index])' has \(features[index].bands) bands, the first has \(features[0].bands)")
        }
        self.features = features
        self.labels = labels
        self.ids = ids
    }

    /// Frames per utterance (the first's, when lengths vary).
    public var frames: Int { features[0].frames }
    /// Bands per frame.
    public var bands: Int { features[0].bands }
    /// Utterances.
    public var count: Int { features.count }

    /// A batch [N, frames, bands, 1] of the given rows.
    public func batch(_ rows: [Int]) -> Tensor {
        var scalars: [Float] = []
        scalars.reserveCapacity(rows.count * frames * bands)
        for row in rows { scalars += features[row].values }
        return Tensor(shape: [rows.count, frames, bands, 1], scalars: scalars)
    }
}

/// A training run that cannot go on, with the reason and what to change.
public struct TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
