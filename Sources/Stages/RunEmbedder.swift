import Audio
import Foundation
import Models
import Pipeline
import Tensor
import Training

/// Embeds audio files with a trained run's own front end and network, for `embed`, `score` and
/// `verify`. Embeddings are cached by file content under the run's cache
/// (`.cache/embeddings/<model and front end>/<file SHA-256>.npy`), so scoring a second trial list
/// over the same files embeds nothing again, and an edited file is embedded anew.
public final class RunEmbedder {
    /// The run.
    public let run: TrainedRun
    /// The front end files go through.
    public let settings: FeatureSettings
    /// Whether whole utterances are embedded (else the run's fixed cut).
    public let wholeUtterance: Bool
    private let weights: [String: Tensor]
    private let trainedNetwork: ModelGraph
    private var shorterNetworks: [Int: ModelGraph] = [:]
    /// The embedding cache folder of this model and front end.
    public let cacheFolder: URL

    /// Whether the run folder's published scoring statistics stand in for fitting them again (they
    /// were fitted with the best checkpoint, so only then).
    let usePublished: Bool

    /// Opens the run's network (with the chosen checkpoint's weights) once. `usePublished: false`
    /// fits the scoring statistics from the cache even when the run folder has them.
    public init(run: TrainedRun, wholeUtterance: Bool, checkpoint: TrainedRun.CheckpointChoice = .best, usePublished: Bool = true) throws {
        self.run = run
        self.usePublished = usePublished && checkpoint == .best
        self.wholeUtterance = wholeUtterance
        settings = run.featureSettings(wholeUtterance: wholeUtterance)
        weights = try run.weights(checkpoint)
        trainedNetwork = try run.network(frames: run.trainedFrames, bands: Self.bands(run), weights: weights)
        // The weights' key and the front end name the embeddings; both change them.
        let identity = CanonicalValue.object([
            "weights": .string(run.weightsKey?.hex ?? "untrained:\(run.keys["evaluate"]?.hex ?? "")"), "checkpoint": .string(checkpoint.rawValue),
            "features": CanonicalValue(encoding: run.features), "whole": .bool(wholeUtterance), "numerics": .integer(Numerics.version),
            // Whole utterances are padded by the run's evaluate.length rule, so it names them too.
            "length": .string(run.evaluate.length?.rawValue ?? "cut"),
            // 1: one utterance to a forward pass; 2: each file checked by its SHA-256 and the length above.
            "embedder": .integer(2),
        ])
        cacheFolder = run.store.root.appendingPathComponent("embeddings").appendingPathComponent(SHA256Digest.hex(of: Array(identity.canonicalText.utf8)))
    }

    /// The feature bands the run's front end gives.
    static func bands(_ run: TrainedRun) -> Int {
        let extractor = FeatureExtractor(settings: run.featureSettings(wholeUtterance: false))
        return extractor.features(of: [Float](repeating: 0, count: FeatureExtractor.frameLength(sampleRate: run.features.rate))).bands
    }

    /// The run's score normalisation (nil: raw cosines), made once: `score` and `verify` normalise
    /// exactly as its evaluate stage did.
    public func normalisation() throws -> ScoreNormalisation? {
        if let made = madeNormalisation { return made }
        if usePublished, let published = try PublishedScoring.read(run.folder) {
            madeNormalisation = published.normalisation
            return madeNormalisation
        }
        madeNormalisation = try StageArtifacts.normalisation(run.evaluate, features: try run.evaluatedFeatures(), network: trainedNetwork, holdout: run.cohortHoldout,
                                                             standardisation: try standardisation())
        return madeNormalisation
    }
    private var madeNormalisation: ScoreNormalisation?

    /// The run's embedding standardisation (nil: embeddings are scored as they are), fitted once.
    public func standardisation() throws -> EmbeddingStandardisation? {
        if let made = madeStandardisation { return made }
        if usePublished, let published = try PublishedScoring.read(run.folder) {
            madeStandardisation = published.standardisation
            return madeStandardisation
        }
        madeStandardisation = try StageArtifacts.standardisation(run.evaluate, features: try run.evaluatedFeatures(), network: trainedNetwork, holdout: run.cohortHoldout)
        return madeStandardisation
    }
    private var madeStandardisation: EmbeddingStandardisation?

    /// Embeddings as the run scores them: standardised when its evaluate stage standardised.
    public func scoringVectors(_ vectors: [[Float]]) throws -> [[Float]] {
        StageArtifacts.standardised(vectors, by: try standardisation())
    }

    /// The embedding size.
    public var dimension: Int { trainedNetwork.embeddingSize }

    /// One embedding per file, in order; each file's error names it. Files already embedded by
    /// this model and front end are read from the cache.
    public func embed(paths: [String], threads: Int) throws -> [[Float]] {
        let digests = try paths.map { path -> String in
            do { return try SHA256Digest.hex(ofFile: path) } catch { throw PipelineError("\(path): cannot read it: \(FileSystemMessage.describe(error))") }
        }
        var embeddings = [[Float]?](repeating: nil, count: paths.count)
        for (index, digest) in digests.enumerated() {
            // Trusted only by checksum: a damaged or cut file is embedded again (and rewritten).
            guard let data = try? Data(contentsOf: cacheFile(digest)),
                  let recorded = try? String(contentsOf: checksumFile(digest), encoding: .utf8),
                  recorded.trimmingCharacters(in: .whitespacesAndNewlines) == SHA256Digest.hex(of: data),
                  let (shape, values) = try? NumpyArrayFile.decode(data), shape == [dimension] else { continue }
            embeddings[index] = values
        }
        let missing = embeddings.indices.filter { embeddings[$0] == nil }
        if !missing.isEmpty {
            let features = try self.features(paths: missing.map { paths[$0] }, threads: threads)
            let computed = try embed(features: features, names: missing.map { paths[$0] })
            try FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
            for (slot, index) in missing.enumerated() {
                embeddings[index] = computed[slot]
                let data = NumpyArrayFile.encode(computed[slot], shape: [dimension])
                try AtomicFile.write(data, to: cacheFile(digests[index]).path)
                try AtomicFile.write(SHA256Digest.hex(of: data) + "\n", to: checksumFile(digests[index]).path)
            }
        }
        return embeddings.map { $0! }
    }

    /// Each file's features through the run's front end (what the network's input is).
    public func features(paths: [String], threads: Int) throws -> [FeatureMatrix] {
        let results = ParallelFeatureExtraction.run(paths: paths, settings: settings, threads: threads)
        let failures = results.compactMap { if case let .failure(error) = $0 { return "\(error)" } else { return nil } }
        guard failures.isEmpty else { throw PipelineError("\(failures.count) file(s) cannot be embedded:\n" + failures.joined(separator: "\n")) }
        return results.map { try! $0.get() }
    }

    /// Embeddings of feature matrices of any lengths; `names` name them in errors.
    public func embed(features: [FeatureMatrix], names: [String]) throws -> [[Float]] {
        var result = [[Float]](repeating: [], count: features.count)
        var longEnough: [Int] = []
        for (index, matrix) in features.enumerated() {
            if matrix.frames >= run.trainedFrames { longEnough.append(index); continue }
            // A shorter input is checked against the graph (a valid convolution may leave nothing of it).
            let network: ModelGraph
            if let built = shorterNetworks[matrix.frames] { network = built } else {
                do { network = try run.network(frames: matrix.frames, bands: matrix.bands, weights: weights) } catch {
                    throw PipelineError("\(names[index]): \(matrix.frames) frames are too few for this network (\(error)); use a longer file")
                }
                shorterNetworks[matrix.frames] = network
            }
            result[index] = Embedding.embed(model: network, features: [matrix])[0]
        }
        let embedded = Embedding.embed(model: trainedNetwork, features: longEnough.map { features[$0] })
        for (slot, index) in longEnough.enumerated() { result[index] = embedded[slot] }
        return result
    }

    func cacheFile(_ digest: String) -> URL { cacheFolder.appendingPathComponent(digest + ".npy") }
    func checksumFile(_ digest: String) -> URL { cacheFolder.appendingPathComponent(digest + ".sha256") }
}
