import Tensor

/// Where a training loop's batches come from: fixed features (`TrainingData`), or crops made and
/// augmented afresh for each step (`AugmentedTrainingData`). A batch is a function of its rows
/// and the global step alone, so a resumed run sees the same batches.
public protocol TrainingBatches {
    /// Utterances.
    var count: Int { get }
    /// Each utterance's class index.
    var labels: [Int] { get }
    /// The batch [N, frames, bands, 1] of these rows at this global step.
    func batch(_ rows: [Int], step: Int) -> Tensor
}

extension TrainingData: TrainingBatches {
    /// The fixed features of the rows, whatever the step.
    public func batch(_ rows: [Int], step: Int) -> Tensor { batch(rows) }
}
