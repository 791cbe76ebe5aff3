import Audio
import Foundation
import Models
import NN
import Pipeline
import Spec
import Tensor

/// A finished run opened for what comes after training: its front end, its trained network and
/// the cache entries it was made from. `RUN` is a published folder (`Results/<name>/`, or a sweep
/// point's folder); its `keys.json` names the cache entries and `stages.json` the parameters each
/// stage was computed with, so the network is rebuilt from exactly the hashed graph text and
/// knobs, and the front end from exactly the features stage's settings.
public struct TrainedRun {
    /// The run folder.
    public let folder: URL
    /// The cache the run's entries live in (`Results/.cache`).
    public let store: ArtifactStore
    /// Each stage's cache key.
    public let keys: [String: CacheKey]
    /// Each stage's parameters as they were hashed.
    let parameters: CanonicalValue
    /// The features section the run's front end was made from.
    public let features: FeaturesSpec
    /// The network's spec section and graph text.
    let model: ModelParameters
    /// The spec's seed.
    public let seed: Int
    /// How the run's evaluate stage scored (its metrics, bootstrap and score normalisation).
    public let evaluate: EvaluateSpec
    /// The calibration hold-out its AS-norm cohort leaves out.
    let cohortHoldout: CalibrationHoldout?
    /// The stage whose weights are the trained model: `finetune` when the run fine-tuned, else `pretrain`
    /// (nil: the run trained nothing, and its network is the seeded initialisation).
    public let weightsStage: String?

    /// Opens a run folder. The cache is `results/.cache` when `results` is given, else the
    /// `.cache` of the nearest folder above the run that has one, else (a published run on a
    /// machine that never ran it) the `.cache` of the results folder holding the run, where
    /// embeddings are cached; its weights and scoring statistics then come from the run folder.
    public init(path: String, results: String? = nil) throws {
        let folder = URL(fileURLWithPath: path).standardizedFileURL
        let cache: URL
        if let results {
            cache = URL(fileURLWithPath: results).appendingPathComponent(".cache")
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: cache.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw PipelineError("no cache at \(cache.path): name the results folder the run was made in with --results (its .cache/ holds the run's model)")
            }
        } else {
            var above = folder.deletingLastPathComponent()
            var found: URL? = nil
            for _ in 0..<16 where found == nil {
                let candidate = above.appendingPathComponent(".cache")
                if FileManager.default.fileExists(atPath: candidate.path) { found = candidate }
                if above.path == "/" { break }
                above = above.deletingLastPathComponent()
            }
            // A point's results folder is two levels up (Results/<name>/<point>), a base run's one.
            let isPoint = FileManager.default.fileExists(atPath: folder.appendingPathComponent(RunFolder.pointFile).path)
            cache = found ?? (isPoint ? folder.deletingLastPathComponent() : folder).deletingLastPathComponent().appendingPathComponent(".cache")
        }
        try self.init(path: path, cache: cache)
    }

    /// Opens a run folder whose cache is `cache`.
    init(path: String, cache: URL) throws {
        let folder = URL(fileURLWithPath: path).standardizedFileURL
        let keysFile = folder.appendingPathComponent("keys.json"), stagesFile = folder.appendingPathComponent("stages.json")
        guard FileManager.default.fileExists(atPath: keysFile.path), FileManager.default.fileExists(atPath: stagesFile.path) else {
            throw PipelineError("\(path) is not a published run: it has no keys.json and stages.json (name a folder such as Results/quickstart, made by `speakerlab run SPEC`)")
        }
        let keyValues: CanonicalValue, parameters: CanonicalValue
        do {
            keyValues = try JSONDecoder().decode(CanonicalValue.self, from: Data(contentsOf: keysFile))
            parameters = try JSONDecoder().decode(CanonicalValue.self, from: Data(contentsOf: stagesFile))
        } catch {
            throw PipelineError("\(folder.path): keys.json or stages.json is not valid JSON (\(error)); run the experiment again to rewrite them")
        }
        guard case let .object(members) = keyValues else { throw PipelineError("\(keysFile.path): expected an object of stage → cache key") }
        var keys: [String: CacheKey] = [:]
        for (stage, value) in members {
            guard let hex = value.string, let key = CacheKey(hex: hex) else { throw PipelineError("\(keysFile.path): '\(stage)' is not a cache key") }
            keys[stage] = key
        }
        self.folder = folder
        self.keys = keys
        self.parameters = parameters
        store = try ArtifactStore(root: cache)
        do {
            guard let features = parameters["features"] else { throw PipelineError("it has no features stage") }
            self.features = try features.decoded(as: FeaturesStage.Parameters.self).features
            guard let evaluateValue = parameters["evaluate"] else { throw PipelineError("it has no evaluate stage") }
            let evaluation = try evaluateValue.decoded(as: EvaluateStage.Parameters.self)
            model = evaluation.model
            seed = evaluation.seed
            evaluate = evaluation.evaluate
            cohortHoldout = evaluation.cohortHoldout
        } catch {
            throw PipelineError("\(stagesFile.path): \(error); the run was made by another SpeakerLab version, so run it again (`speakerlab run SPEC`)")
        }
        weightsStage = ["finetune", "pretrain"].first { keys[$0] != nil }
    }

    /// The run's front end, keeping the whole utterance when `wholeUtterance` (else the run's own
    /// cut to a fixed length, which is what its evaluate stage scored).
    public func featureSettings(wholeUtterance: Bool) -> FeatureSettings {
        var settings = StageArtifacts.featureSettings(features)
        // A run that evaluated whole utterances embeds them as its evaluate stage did (padded to its minimum).
        if wholeUtterance { settings.cutPad = evaluate.length == .whole ? .atLeast(seconds: FeaturesStage.wholeMinimumSeconds) : .none }
        return settings
    }

    /// The features its evaluate stage embedded and fitted on: the whole utterances' with
    /// `evaluate.length: whole`, else the cut's.
    public func evaluatedFeatures() throws -> URL {
        try entry(evaluate.length == .whole ? "whole-features" : "features")
    }

    /// The cache entry of a stage, checked intact; a missing one says how to make it again.
    public func entry(_ stage: String) throws -> URL {
        guard let key = keys[stage] else { throw PipelineError("\(folder.path) has no \(stage) stage") }
        guard store.isComplete(key) else {
            throw PipelineError("the \(stage) stage's cache entry \(key.short) is not in \(store.root.path) (collected, or made on another machine); run the experiment again to recompute it (`speakerlab run SPEC`)")
        }
        return store.entry(key)
    }

    /// The cache key of the trained weights (the stage `weightsStage` names).
    public var weightsKey: CacheKey? { weightsStage.flatMap { keys[$0] } }

    /// The checkpoints a run's training stage keeps.
    public enum CheckpointChoice: String, CaseIterable, Sendable {
        /// The one the stage chose (lowest validation loss or held-out EER): what evaluate scored.
        case best
        /// The weights at the end of training.
        case last
        /// The mean of the last `average_last` snapshots.
        case averaged
    }

    /// The trained weights of a checkpoint: every tensor, by name.
    public func weights(_ choice: CheckpointChoice = .best) throws -> [String: Tensor] {
        guard let weightsStage else {
            guard choice == .best else { throw PipelineError("\(folder.path) trained nothing, so it has no \(choice.rawValue) checkpoint") }
            return [:]
        }
        // The best checkpoint travels with the published run: without the cache entry, its copy is used.
        let published = folder.appendingPathComponent(PublishedScoring.weightsFile)
        if choice == .best, let key = keys[weightsStage], !store.isComplete(key), FileManager.default.fileExists(atPath: published.path) {
            return try Checkpoint.decode(Data(contentsOf: published), path: published.path).tensors
        }
        let file = try entry(weightsStage).appendingPathComponent(StageArtifacts.TrainedCheckpoint(rawValue: choice.rawValue)!.fileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw PipelineError(choice == .averaged
                ? "the run's \(weightsStage) stage kept no averaged checkpoint; set \(weightsStage).average_last: N in its spec and run it again"
                : "the run's \(weightsStage) stage has no \(file.lastPathComponent); run it again")
        }
        return try Checkpoint.decode(Data(contentsOf: file), path: file.path).tensors
    }

    /// The network with the trained weights, for inputs of `frames` × `bands` (a network that ends in a
    /// global pooling takes any number of frames with the same weights).
    public func network(frames: Int, bands: Int, weights: [String: Tensor]) throws -> ModelGraph {
        let network = try model.build(frames: frames, bands: bands, seed: seed)
        if !weights.isEmpty { try network.load(weights) }
        return network
    }

    /// The number of frames the network was trained on (the features stage's fixed length).
    public var trainedFrames: Int {
        let extractor = FeatureExtractor(settings: featureSettings(wholeUtterance: false))
        return extractor.frameCount(sampleCount: Int(features.seconds * Double(features.rate)))
    }
}
