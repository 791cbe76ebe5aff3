import Audio
import Diagnostics
import Foundation
import Models
import Spec
import Training

/// The plan-time check of the network a spec names: it is built on the features' shape, so a
/// mistake in the graph is reported before any stage runs, and its training memory is estimated
/// against this machine's, so a width or batch too large is refused instead of failing to
/// allocate after preparation and features.
enum ModelBudget {
    /// The features' shape (frames, bands) for a `features:` section: the front end run on a
    /// silent cut of the configured length (cheap, and exact for every feature kind).
    static func featureShape(_ features: FeaturesSpec) -> (frames: Int, bands: Int) {
        let settings = StageArtifacts.featureSettings(features)
        let matrix = FeatureExtractor(settings: settings).features(of: [Float](repeating: 0, count: Int(features.seconds * Double(features.rate))))
        return (matrix.frames, matrix.bands)
    }

    /// Bytes training needs, roughly: weights, gradients and two optimizer moments per parameter,
    /// and each layer's output and its gradient for every example of a batch.
    static func trainingBytes(_ summary: ModelSummary, batch: Int) -> Double {
        let parameters = Double(summary.total)
        let activations = summary.rows.reduce(0.0) { $0 + Double($1.output.reduce(1, *)) }
        return 4 * (4 * parameters + 2 * Double(batch) * activations)
    }

    /// The memory this process may use: the machine's, or its cgroup's limit when lower.
    static var availableBytes: Double {
        var bytes = Double(ProcessInfo.processInfo.physicalMemory)
        for file in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: file, encoding: .utf8), let limit = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                bytes = min(bytes, limit)
            }
        }
        return bytes
    }

    /// Summaries already built in this process: the points of a sweep share a network, so a
    /// 100-point sweep builds it once.
    static let summaries = SummaryMemo()

    /// Builds the network and checks each training stage's batch against `available` bytes.
    static func check(_ spec: ExperimentSpec, model: ModelParameters, modelFile: String, resolved: ResolvedSpec, specPath: String,
                      utterances: Int? = nil, available: Double = availableBytes) throws {
        let shape = featureShape(spec.features)
        // Every utterance's features are held in memory by the stages that read them (twice, with a batch's copy).
        let count = utterances ?? spec.dataset.speakers * spec.dataset.utterances
        let featureBytes = 2 * 4 * Double(count) * Double(shape.frames * shape.bands)
        guard featureBytes <= available else {
            let key = utterances == nil ? "dataset.speakers" : "features.seconds"
            throw resolved.error(at: key, file: specPath, String(format: "the features of %d utterances at %d × %d need about %.1f GiB, more than the %.1f GiB this process may use; use fewer speakers or utterances, or shorter features.seconds",
                                                                 count, shape.frames, shape.bands, featureBytes / Double(1 << 30), available / Double(1 << 30)))
        }
        // Training sees the longest input any stage can: an augmentation crop may be longer than the cut.
        var longest = spec.features
        if let crop = spec.augment?.crop?.max(), crop > longest.seconds { longest.seconds = crop }
        let trainingShape = featureShape(longest)
        let network = try summaries.summary(of: model, frames: trainingShape.frames, bands: trainingShape.bands, file: modelFile)
        // Every layer a freeze names exists (pretraining's head is `softmax`).
        for (stage, freezeFor, freeze) in [("pretrain", spec.pretrain?.freezeFor, spec.pretrain?.freeze), ("finetune", spec.finetune?.freezeFor, spec.finetune?.freeze)]
        where freezeFor != nil && freeze == nil {
            throw resolved.error(at: "\(stage).freeze_for", file: specPath, "freeze_for is set but \(stage).freeze names no layer; list the layers to hold fixed, or remove freeze_for")
        }
        for (stage, freeze, extra) in [("pretrain", spec.pretrain?.freeze, ["softmax"]), ("finetune", spec.finetune?.freeze, [])] {
            let layers = network.rows.filter { $0.parameters > 0 }.map(\.name) + extra
            for (index, entry) in (freeze ?? []).enumerated() where !layers.contains(where: { LayerFreeze.matches(entry, layer: $0) }) {
                // The list item where the spec locates it, else the list.
                throw resolved.error(at: resolved.places["\(stage).freeze.\(index)"] == nil ? "\(stage).freeze" : "\(stage).freeze.\(index)", file: specPath,
                                     "'\(entry)' names no layer with weights in \(network.name); its layers: \(layers.prefix(12).joined(separator: ", "))\(layers.count > 12 ? ", …" : "") (`speakerlab model summary` lists them; end a prefix with *)")
            }
            // A freeze of every layer for the whole stage leaves nothing to train.
            let freezeFor = stage == "pretrain" ? spec.pretrain?.freezeFor : spec.finetune?.freezeFor
            if let freeze, freezeFor == nil, layers.allSatisfy({ layer in freeze.contains { LayerFreeze.matches($0, layer: layer) } }) {
                throw resolved.error(at: "\(stage).freeze", file: specPath,
                                     "\(stage).freeze holds every layer with weights fixed for the whole stage, so nothing would train; name fewer layers, or set \(stage).freeze_for")
            }
        }
        var batches: [(key: String, size: Int)] = []
        if let pretrain = spec.pretrain { batches.append(("pretrain.batch", pretrain.batch)) }
        if let finetune = spec.finetune {
            batches.append(finetune.mining == .hard && finetune.candidates > 3 * finetune.triplets
                           ? ("finetune.candidates", finetune.candidates) : ("finetune.triplets", 3 * finetune.triplets))
        }
        for (key, size) in batches {
            let needed = trainingBytes(network, batch: size)
            guard needed <= available else {
                let gib = { (bytes: Double) in String(format: "%.1f GiB", bytes / Double(1 << 30)) }
                throw resolved.error(at: key, file: specPath,
                                     "training \(network.name) (\(network.total) parameters on \(trainingShape.frames) × \(trainingShape.bands) features) on batches of \(size) needs about \(gib(needed)), more than the \(gib(available)) this process may use; lower '\(key)' or model.width, or shorten \(longest.seconds > spec.features.seconds ? "augment.crop (its longest crop is what training holds)" : "features.seconds")")
            }
        }
    }
}

/// Model summaries by what determines them (the graph, its knobs and the input shape).
final class SummaryMemo: @unchecked Sendable {
    private struct Key: Hashable {
        let model: ModelParameters
        let frames: Int
        let bands: Int
    }
    private var summaries: [Key: ModelSummary] = [:]
    private let lock = NSLock()

    /// The summary of the network `model` builds on frames × bands (its weights are discarded).
    func summary(of model: ModelParameters, frames: Int, bands: Int, file: String) throws -> ModelSummary {
        let key = Key(model: model, frames: frames, bands: bands)
        if let known = lock.withLock({ summaries[key] }) { return known }
        let summary = try model.build(frames: frames, bands: bands, seed: 0, file: file).summary
        lock.withLock { summaries[key] = summary }
        return summary
    }
}
