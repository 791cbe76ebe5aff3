import Foundation
import NN
import Pipeline
import Tensor

/// `init_from:` — the trained weights another run left in the cache, resolved at plan time to
/// that entry's key. The entry joins the plan as a pinned stage (`Stage(pinned:)`), so the key is
/// in the key of the stage that starts from it, and the stage reads the entry as an input.
enum InitialWeights {
    /// The pinned stage's id for a training stage (`pretrain` → `pretrain-init`).
    static func stageId(for stage: String) -> String { stage + "-init" }

    /// The cache key `value` names: a 64-hex-digit key, or a published run folder whose
    /// fine-tuned (else pretrained) weights it means. With a cache, the entry must be there.
    /// A run folder must be another experiment's (`ownFolder`, this experiment's, would start each
    /// rerun from the last), and of the same model graph, width and depths as `model`.
    static func resolve(_ value: String, cache: URL?, ownFolder: URL? = nil, model: ModelParameters? = nil) throws -> CacheKey {
        let key: CacheKey
        // A key in capitals is the same key.
        if let direct = CacheKey(hex: value.lowercased()) { key = direct } else {
            let folder = URL(fileURLWithPath: value).standardizedFileURL
            if let ownFolder, folder.resolvingSymlinksInPath().path == ownFolder.standardizedFileURL.resolvingSymlinksInPath().path {
                throw PipelineError("'\(value)' is this experiment's own results folder: every rerun would start from the last one and give other numbers; name another run, or train this one from scratch")
            }
            if let model, let stages = try? JSONDecoder().decode(CanonicalValue.self, from: Data(contentsOf: folder.appendingPathComponent("stages.json"))),
               let trained = (stages["finetune"] ?? stages["pretrain"])?["model"], let theirs = try? trained.decoded(as: ModelParameters.self), theirs != model {
                let describe = { (m: ModelParameters) in "\(m.section.graph) width \(m.section.width)\(m.section.blocks.map { " blocks \($0)" } ?? "")" }
                throw PipelineError("'\(value)' trained \(describe(theirs)) and this experiment builds \(describe(model))\(theirs.graphText != model.graphText && theirs.section == model.section ? " (the graph file's text differs)" : ""); its weights would load only in part, so start from a run of the same network")
            }
            let keysFile = folder.appendingPathComponent("keys.json")
            guard let data = try? Data(contentsOf: keysFile) else {
                throw PipelineError("'\(value)' is neither a cache key (64 hex digits) nor a run folder with keys.json (such as Results/quickstart, made by `speakerlab run`)")
            }
            guard let keys = try? JSONDecoder().decode([String: String].self, from: data) else {
                throw PipelineError("\(keysFile.path) is not a map of stage → cache key; run that experiment again to rewrite it")
            }
            guard let hex = keys["finetune"] ?? keys["pretrain"], let found = CacheKey(hex: hex) else {
                throw PipelineError("the run '\(value)' trained nothing (it has no pretrain or finetune stage), so it has no weights to start from")
            }
            key = found
        }
        if let cache, !ArtifactStore.entryIsComplete(key, root: cache) {
            throw PipelineError("the cache entry \(key.short) that init_from names is not in \(cache.path); run the experiment that trained it first (or name its results folder with --results)")
        }
        // An entry of another stage kind (features, evaluate) holds no weights.
        if let cache, let record = StageRecord.read(entry: ArtifactStore.entry(key, root: cache)),
           !(record.stage.hasSuffix("pretrain") || record.stage.hasSuffix("finetune")) {
            throw PipelineError("the cache entry \(key.short) is the \(record.stage) stage's, not a training stage's; init_from names a pretrain or finetune entry, or a run folder")
        }
        return key
    }

    /// The weights in a pinned entry's folder.
    static func load(_ folder: URL) throws -> [String: Tensor] {
        let file = folder.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw PipelineError("\(folder.path) holds no model.safetensors: init_from must name a training stage's entry")
        }
        return try Checkpoint.decode(Data(contentsOf: file), path: file.path).tensors
    }
}
