import Foundation
import Testing
import TestSupport
import Audio
import Models
import Randomness
import Tensor
@testable import Training

/// An embedding is a function of its utterance alone: inference does not look across the batch.
@Suite struct EmbeddingBatchTests {
    static func features(_ count: Int, frames: Int, seed: UInt64) -> [FeatureMatrix] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            FeatureMatrix(frames: frames, bands: 40, values: (0..<(frames * 40)).map { _ in Float.random(in: -2...2, using: &generator) })
        }
    }

    @Test(arguments: ["deepspeaker.yaml", "se-resnet.yaml", "thin-resnet34-stats.yaml"])
    func anEmbeddingDoesNotDependOnItsBatch(graph: String) throws {
        let file = Fixtures.repositoryRoot.appendingPathComponent("Experiments/models/\(graph)").path
        let model = try ModelGraph(file: file, input: [149, 40, 1], width: 0.25, depths: nil, seed: 3)
        let batch = Self.features(7, frames: 149, seed: 1)
        let together = Embedding.embed(model: model, features: batch)
        for (index, matrix) in batch.enumerated() {
            let alone = Embedding.embed(model: model, features: [matrix])[0]
            #expect(alone == together[index], "utterance \(index): max difference \(zip(alone, together[index]).map { abs($0 - $1) }.max()!)")
        }
        // Mixed lengths: the same bytes whatever shares the call.
        let mixed = Self.features(3, frames: 120, seed: 2) + Self.features(2, frames: 149, seed: 5)
        let all = Embedding.embed(model: model, features: mixed)
        #expect(Embedding.embed(model: model, features: [mixed[1]])[0] == all[1])
        #expect(Embedding.embed(model: model, features: [mixed[4], mixed[0]])[0] == all[4])
        // And whatever the number of threads.
        let threads = Parallel.threads
        Parallel.threads = 1
        let serial = Embedding.embed(model: model, features: mixed)
        Parallel.threads = threads
        #expect(serial == all)
    }
}
