import Randomness

/// Shuffled minibatches over a training set, epoch after epoch, with a position that can be
/// saved and restored so a resumed run draws exactly the batches it would have drawn.
public struct BatchSampler: Codable, Equatable, Sendable {
    /// Items per batch.
    public let batchSize: Int
    /// How many items there are.
    public let itemCount: Int
    /// Whether a last partial batch is dropped (the seed's era A generator) or kept (Keras `Sequence`).
    public let dropLast: Bool
    /// The current epoch's order.
    public private(set) var order: [Int]
    /// The next batch's start in `order`.
    public private(set) var position: Int
    /// Completed epochs.
    public private(set) var epoch: Int
    private var generator: SeededGenerator

    /// Creates a sampler; the first epoch's order is drawn from `generator`.
    public init(itemCount: Int, batchSize: Int, dropLast: Bool = false, generator: SeededGenerator) {
        precondition(itemCount > 0 && batchSize > 0, "a sampler needs items and a positive batch size")
        self.batchSize = batchSize
        self.itemCount = itemCount
        self.dropLast = dropLast
        self.generator = generator
        order = Array(0..<itemCount)
        order.shuffle(using: &self.generator)
        position = 0
        epoch = 0
    }

    /// Batches per epoch.
    public var batchesPerEpoch: Int { dropLast ? itemCount / batchSize : (itemCount + batchSize - 1) / batchSize }

    /// The next batch's item indices; nil at the end of an epoch (the next call starts a new, reshuffled one).
    public mutating func next() -> [Int]? {
        let remaining = itemCount - position
        if remaining <= 0 || (dropLast && remaining < batchSize) {
            epoch += 1
            position = 0
            order.shuffle(using: &generator)
            return nil
        }
        let batch = Array(order[position..<min(itemCount, position + batchSize)])
        position += batch.count
        return batch
    }
}
