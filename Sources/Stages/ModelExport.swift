import Export
import Foundation
import Pipeline

/// `speakerlab export RUN --onnx FILE`: the run's embedding network as an ONNX model, its front
/// end (everything that turns audio into the model's `features` input) in the model's metadata.
public enum ModelExport {
    /// Writes the model atomically; returns its size in bytes.
    @discardableResult
    public static func onnx(_ run: TrainedRun, to file: URL, checkpoint: TrainedRun.CheckpointChoice = .best) throws -> Int {
        let network = try run.network(frames: run.trainedFrames, bands: RunEmbedder.bands(run), weights: try run.weights(checkpoint))
        let frontEnd = CanonicalValue(encoding: run.features)
        let metadata = [
            "speakerlab.features": frontEnd.canonicalText,
            "speakerlab.input": "features [batch, frames, \(network.input[1])] float32, any number of frames: audio resampled to \(run.features.rate) Hz through the front end speakerlab.features describes (VAD, cut, scale, features, normalisation); `speakerlab embed RUN FILES --out DIR --features` writes them",
            "speakerlab.output": "embedding [batch, \(network.embeddingSize)] float32; verification scores are cosines between embeddings",
            "speakerlab.weights": (run.weightsKey?.hex ?? "untrained") + " (\(checkpoint.rawValue))",
            "speakerlab.run": run.folder.lastPathComponent,
        ]
        let data = try ONNXModel.serialise(network, metadata: metadata, producerVersion: SpeakerLabVersion.current)
        try AtomicFile.write(data, to: file.path)
        return data.count
    }
}
