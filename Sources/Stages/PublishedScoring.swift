import Foundation
import NN
import Pipeline
import Tensor
import Training

/// What a published run carries so that `embed`, `score`, `verify` and `export` work from its
/// folder alone, on a machine without its cache entries (a fresh clone of the committed results):
/// `model.safetensors`, the weights its evaluate stage scored with, and, when its evaluation fits
/// on the training speakers, `scoring.safetensors` with what it fitted: the standardisation's
/// mean and deviation, and the AS-norm cohort with its top-N in the metadata.
enum PublishedScoring {
    /// The trained weights' file in a run folder.
    static let weightsFile = "model.safetensors"
    /// The fitted scoring statistics' file in a run folder.
    static let scoringFile = "scoring.safetensors"

    /// The files to publish for a run folder already holding its `keys.json` and `stages.json`, by
    /// name (empty for a run that trained nothing and fits nothing).
    static func files(run folder: URL, cache: URL) throws -> [String: Data] {
        let run = try TrainedRun(path: folder.path, cache: cache)
        var files: [String: Data] = [:]
        if run.weightsStage != nil {
            let source = try run.entry(run.weightsStage!).appendingPathComponent(StageArtifacts.TrainedCheckpoint.best.fileName)
            files[weightsFile] = try Data(contentsOf: source)
        }
        guard StageArtifacts.fitsOnTraining(run.evaluate) else { return files }
        let embedder = try RunEmbedder(run: run, wholeUtterance: false, usePublished: false)
        var tensors: [(name: String, tensor: Tensor)] = []
        var metadata: [String: String] = [:]
        if let standardisation = try embedder.standardisation() {
            tensors.append(("standardisation.mean", Tensor(shape: [standardisation.mean.count], scalars: standardisation.mean)))
            tensors.append(("standardisation.deviation", Tensor(shape: [standardisation.deviation.count], scalars: standardisation.deviation)))
        }
        if let normalisation = try embedder.normalisation() {
            tensors.append(("cohort", Tensor(shape: [normalisation.cohort.count, normalisation.cohort[0].count], scalars: normalisation.cohort.flatMap { $0 })))
            metadata["cohort_top"] = String(normalisation.topN)
        }
        files[scoringFile] = Checkpoint.encode(tensors, metadata: metadata)
        return files
    }

    /// A run folder's published scoring statistics, or nil when it has none.
    static func read(_ folder: URL) throws -> (standardisation: EmbeddingStandardisation?, normalisation: ScoreNormalisation?)? {
        let file = folder.appendingPathComponent(scoringFile)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let (tensors, metadata) = try Checkpoint.decode(Data(contentsOf: file), path: file.path)
        var standardisation: EmbeddingStandardisation? = nil
        if let mean = tensors["standardisation.mean"], let deviation = tensors["standardisation.deviation"], mean.shape == deviation.shape {
            standardisation = EmbeddingStandardisation(mean: mean.scalars, deviation: deviation.scalars)
        }
        var normalisation: ScoreNormalisation? = nil
        if let cohort = tensors["cohort"], cohort.shape.count == 2, cohort.shape[0] > 0, let top = metadata["cohort_top"].flatMap(Int.init) {
            let width = cohort.shape[1]
            normalisation = ScoreNormalisation(cohort: (0..<cohort.shape[0]).map { Array(cohort.scalars[($0 * width)..<(($0 + 1) * width)]) }, topN: top)
        }
        return (standardisation, normalisation)
    }
}
