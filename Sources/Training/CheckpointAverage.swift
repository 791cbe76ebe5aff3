import Foundation
import NN
import Pipeline
import Tensor

/// The checkpoints a training loop keeps besides its best (`best.safetensors`): the latest
/// (`last.safetensors`), and with `count` the element-wise mean of the last `count` snapshots
/// (`averaged.safetensors`: weights and batch-norm statistics), taken at the end of every epoch
/// of pretraining or at every evaluation of fine-tuning. Snapshots live in the loop's folder
/// (`snapshot-N.safetensors`), so a resumed run averages the same ones.
struct CheckpointAverage {
    /// The loop's folder.
    let folder: String
    /// How many snapshots are averaged (nil: no average).
    let count: Int?

    static let lastFile = "last.safetensors"
    static let averagedFile = "averaged.safetensors"

    /// Records the weights after snapshot `index` (1, 2, …): the latest, and a snapshot to average.
    func record(_ tensors: [(name: String, tensor: Tensor)], index: Int) throws {
        let data = Checkpoint.encode(tensors, metadata: ["snapshot": String(index)])
        try AtomicFile.write(data, to: folder + "/" + Self.lastFile)
        guard let count else { return }
        try AtomicFile.write(data, to: snapshot(index))
        if index > count { try? FileManager.default.removeItem(atPath: snapshot(index - count)) }
    }

    /// Writes the average of the last `count` snapshots up to `index` (fewer when the run was shorter).
    func finish(at index: Int) throws {
        guard let count, index > 0 else { return }
        let indices = Array(max(1, index - count + 1)...index)
        var names: [String] = [], shapes: [String: [Int]] = [:], sums: [String: [Float]] = [:]
        for snapshot in indices {
            let file = self.snapshot(snapshot)
            let tensors = try Checkpoint.decode(Data(contentsOf: URL(fileURLWithPath: file)), path: file).tensors
            if names.isEmpty { names = tensors.keys.sorted() }
            for name in names {
                guard let tensor = tensors[name] else { throw TrainingError("\(file) has no tensor '\(name)'; the snapshots are from different networks") }
                if let sum = sums[name] { sums[name] = zip(sum, tensor.scalars).map { $0 + $1 } } else { sums[name] = tensor.scalars; shapes[name] = tensor.shape }
            }
        }
        let scale = 1 / Float(indices.count)
        let averaged = names.map { ($0, Tensor(shape: shapes[$0]!, scalars: sums[$0]!.map { $0 * scale })) }
        try AtomicFile.write(Checkpoint.encode(averaged, metadata: ["averaged": indices.map(String.init).joined(separator: ",")]),
                             to: folder + "/" + Self.averagedFile)
    }

    func snapshot(_ index: Int) -> String { folder + "/snapshot-\(index).safetensors" }
}
