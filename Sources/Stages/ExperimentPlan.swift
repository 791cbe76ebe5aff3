import Audio
import Datasets
import Foundation
import Pipeline
import Spec
import Tensor

/// Turns a typed experiment spec into the stage graph prepare → features → pretrain → finetune →
/// evaluate → report (stages absent from the spec are absent from the graph). Each stage's
/// typed parameters are exactly what can change its result, and all a stage body sees.
public struct ExperimentPlan {
    /// The typed spec.
    public let spec: ExperimentSpec
    /// The spec file.
    public let specPath: String
    /// The model graph file the spec names, resolved.
    public let modelFile: String
    /// The corpus files on disk (nil for the synthetic corpus).
    public let corpus: FileListing?
    /// The stage graph.
    public let graph: StageGraph
    /// The experiment's name.
    public var name: String { spec.name }

    /// Loads a spec file with overrides and plans it.
    public init(specPath: String, overrides: [String] = [], cache: URL? = nil) throws {
        try self.init(source: try SpecSource(path: specPath), overrides: overrides, cache: cache)
    }

    /// Plans a spec already read, with overrides. `cache` (the results folder's `.cache/`) keeps
    /// the corpus checksums between plans, so planning again reads only files that changed.
    public init(source: SpecSource, overrides: [String] = [], cache: URL? = nil) throws {
        let (spec, resolved) = try ExperimentSpec.load(source, overrides: overrides)
        specPath = source.path
        do {
            modelFile = try Self.resolveModel(spec.model.graph, specPath: source.path)
        } catch let error as PipelineError {
            throw resolved.error(at: "model.graph", file: source.path, error.description)
        }
        var onDisk: [Utterance]? = nil
        do {
            let memo = cache.map { $0.appendingPathComponent("checksums").appendingPathComponent(SHA256Digest.hex(of: Array(spec.dataset.root.utf8)) + ".json") }
            // A corpus on disk is walked once: its listing keys prepare, its test split is checked below.
            let utterances = spec.dataset.kind == .synthetic ? nil : try PrepareStage.utterances(spec.dataset)
            corpus = try utterances.map { try PrepareStage.listing(spec.dataset, utterances: $0, memo: memo) }
            onDisk = utterances
        } catch {
            // The readers' messages start with the root; here the location is the key that named it.
            let message = "\(error)"
            let prefix = spec.dataset.root + ": error: "
            throw resolved.error(at: "dataset.root", file: source.path, message.hasPrefix(prefix) ? "'\(spec.dataset.root)': " + message.dropFirst(prefix.count) : message)
        }
        self.spec = spec
        try TrialPlanCheck.check(spec, utterances: onDisk, resolved: resolved, specPath: source.path)
        try Self.checkCoefficients(spec.features, resolved: resolved, specPath: source.path)
        if let pretrain = spec.pretrain, pretrain.aamMarginWarmup != nil, pretrain.loss != .aam {
            throw resolved.error(at: "pretrain.aam_margin_warmup", file: source.path,
                                 "aam_margin_warmup warms up the AAM margin, and pretrain.loss is \(pretrain.loss.rawValue); set pretrain.loss: aam or remove aam_margin_warmup")
        }
        let augmentFolders = try Self.checkAugment(spec, resolved: resolved, specPath: source.path)
        try SettingsCheck.check(spec, resolved: resolved, specPath: source.path)
        let modelText: String
        do { modelText = try String(contentsOfFile: modelFile, encoding: .utf8) } catch {
            throw resolved.error(at: "model.graph", file: source.path, "cannot read the model graph \(modelFile); check its permissions")
        }
        let model = ModelParameters(section: spec.model, graphText: modelText)
        try ModelBudget.check(spec, model: model, modelFile: modelFile, resolved: resolved, specPath: source.path, utterances: onDisk?.count)
        var initial: [String: CacheKey] = [:]
        for (stage, value) in [("pretrain", spec.pretrain?.initFrom), ("finetune", spec.finetune?.initFrom)] {
            guard let value else { continue }
            if stage == "finetune", spec.pretrain != nil {
                throw resolved.error(at: "finetune.init_from", file: source.path, "fine-tuning starts from pretraining's weights when the spec pretrains; give init_from to pretrain instead, or remove the pretrain section")
            }
            let own = cache.map { $0.deletingLastPathComponent().appendingPathComponent(spec.name) }
            do { initial[stage] = try InitialWeights.resolve(value, cache: cache, ownFolder: own, model: model) } catch let error as PipelineError {
                throw resolved.error(at: "\(stage).init_from", file: source.path, error.description)
            }
        }
        graph = try StageGraph(Self.stages(spec: spec, model: model, corpus: corpus?.fingerprint, initial: initial, augmentFolders: augmentFolders))
    }

    /// The augment section's folders, absolute, with their contents' fingerprints; located errors
    /// for augmentation without pretraining, a folder kind without a folder, or an unusable folder.
    static func checkAugment(_ spec: ExperimentSpec, resolved: ResolvedSpec, specPath: String) throws -> AugmentFolders {
        guard let augment = spec.augment else { return AugmentFolders() }
        guard spec.pretrain != nil else {
            throw resolved.error(at: "augment", file: specPath, "augment: augments pretraining's crops, and the spec has no pretrain section; add one, or remove augment")
        }
        if augment.noiseKinds.contains("folder"), augment.noiseFolder == nil {
            throw resolved.error(at: "augment.noise_kinds", file: specPath, "noise_kinds names folder, and there is no augment.noise_folder; give the folder of noise recordings, or drop folder from noise_kinds")
        }
        // A folder that would be ignored is not read at all.
        if let augment = spec.augment, augment.noiseFolder != nil, !augment.noiseKinds.contains("folder") {
            throw resolved.error(at: "augment.noise_folder", file: specPath, "noise_folder is only read when augment.noise_kinds names folder (it is \(augment.noiseKinds)); add folder to noise_kinds, or remove noise_folder")
        }
        var folders = AugmentFolders()
        for (key, value) in [("augment.noise_folder", augment.noiseFolder), ("augment.rir_folder", augment.rirFolder)] {
            guard let value else { continue }
            let absolute = URL(fileURLWithPath: value).standardizedFileURL.path
            do {
                let files = try AugmentStage.audioFiles(in: absolute)
                let fingerprint = try FileListing(root: absolute, paths: files).fingerprint
                if key == "augment.noise_folder" { folders.noise = (absolute, fingerprint) } else { folders.rooms = (absolute, fingerprint) }
            } catch let error as PipelineError {
                throw resolved.error(at: key, file: specPath, error.description + "; give a folder of audio files")
            }
        }
        return folders
    }

    /// The augmentation folders a plan read: absolute paths and fingerprints.
    struct AugmentFolders {
        var noise: (path: String, fingerprint: FileListing.Fingerprint)?
        var rooms: (path: String, fingerprint: FileListing.Fingerprint)?
    }

    /// Finds a model file: as given, in `Experiments/models/` above the spec, or under the working folder.
    /// MFCC keeps at most as many coefficients as it has bands, and no other kind takes them.
    static func checkCoefficients(_ features: FeaturesSpec, resolved: ResolvedSpec, specPath: String) throws {
        if features.kind != "mfcc" {
            guard let given = features.coefficients else { return }
            throw resolved.error(at: "features.coefficients", file: specPath,
                                 "features.coefficients: \(given) applies only to features.kind mfcc (here '\(features.kind)'); remove it or set features.kind: mfcc")
        }
        let coefficients = features.coefficients ?? FeatureKind.defaultCoefficients
        guard coefficients > features.bands else { return }
        let key = features.coefficients == nil ? "features.bands" : "features.coefficients"
        throw resolved.error(at: key, file: specPath,
                             "mfcc keeps \(coefficients) coefficients of \(features.bands) bands, and there are only as many coefficients as bands; lower features.coefficients or raise features.bands to at least \(coefficients)")
    }

    static func resolveModel(_ name: String, specPath: String) throws -> String {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: name, isDirectory: &isFolder), !isFolder.boolValue { return name }
        var folder = URL(fileURLWithPath: specPath).standardizedFileURL.deletingLastPathComponent()
        for _ in 0..<6 {
            for candidate in [folder.appendingPathComponent("models").appendingPathComponent(name),
                              folder.appendingPathComponent("Experiments/models").appendingPathComponent(name)]
            where FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder) && !isFolder.boolValue {
                return candidate.path
            }
            folder = folder.deletingLastPathComponent()
        }
        let models = FileManager.default.currentDirectoryPath + "/Experiments/models/"
        if FileManager.default.fileExists(atPath: models + name, isDirectory: &isFolder), !isFolder.boolValue { return models + name }
        let known = ((try? FileManager.default.contentsOfDirectory(atPath: models)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        throw PipelineError("model.graph names '\(name)', which is neither a file nor a file in Experiments/models/"
                            + (known.isEmpty ? "" : "; the graphs there: \(known.joined(separator: ", "))"))
    }

    /// The code version of every stage that runs a network: the engine's numerics version, bumped
    /// when a kernel's rounding changes, so their cache entries renew (`Numerics.version`).
    static let engineVersion = Numerics.version

    /// The stages of a spec, each given its typed parameters; `initial` holds the cache key each
    /// training stage's `init_from` resolved to.
    static func stages(spec: ExperimentSpec, model: ModelParameters, corpus: FileListing.Fingerprint?, initial: [String: CacheKey] = [:],
                       augmentFolders: AugmentFolders = AugmentFolders()) -> [Stage] {
        let numerics = NumericsParameters.of(spec.execution)
        let holdout = CalibrationHoldout.of(spec)
        // A relative corpus root is the working directory's: prepare's key and body see it absolute
        // (an absolute root keys as before).
        var dataset = spec.dataset
        if dataset.kind != .synthetic, !dataset.root.isEmpty, !dataset.root.hasPrefix("/") {
            dataset.root = URL(fileURLWithPath: dataset.root).standardizedFileURL.path
        }
        var stages = [
            Stage(PrepareStage.self, id: "prepare", parameters: .init(dataset: dataset, seed: spec.seed, corpus: corpus, screening: .init(spec.features))),
            Stage(FeaturesStage.self, id: "features", parameters: .init(features: spec.features, whole: nil), inputs: ["prepare"]),
        ]
        // Another run's weights enter as a pinned stage: its key, not the path that named it, is hashed.
        for (stage, key) in initial.sorted(by: { $0.key < $1.key }) {
            stages.append(Stage(pinned: InitialWeights.stageId(for: stage), key: key,
                                missing: "the cache entry \(key.short) that \(stage).init_from names is missing or damaged; run the experiment that trained it again"))
        }
        func initInput(_ stage: String) -> [String] { initial[stage] == nil ? [] : [InitialWeights.stageId(for: stage)] }
        var last = "features"
        var augment = spec.augment
        if augment != nil {
            augment!.noiseFolder = augmentFolders.noise?.path
            augment!.rirFolder = augmentFolders.rooms?.path
            stages.append(Stage(AugmentStage.self, id: "augment",
                                parameters: .init(features: spec.features, seed: spec.seed, holdout: holdout,
                                                  noiseFolder: augmentFolders.noise?.path, noiseFiles: augmentFolders.noise?.fingerprint,
                                                  rirFolder: augmentFolders.rooms?.path, rirFiles: augmentFolders.rooms?.fingerprint,
                                                  rooms: augmentFolders.rooms == nil ? augment!.rooms : nil),
                                inputs: ["prepare"]))
        }
        if var pretrain = spec.pretrain {
            pretrain.initFrom = nil
            stages.append(Stage(PretrainStage.self, id: "pretrain",
                                parameters: .init(pretrain: pretrain, model: model, seed: spec.seed, validationFraction: spec.dataset.validationFraction, numerics: numerics, holdout: holdout,
                                                  augment: augment, features: augment == nil ? nil : spec.features),
                                inputs: [last] + (augment == nil ? [] : ["augment"]) + initInput("pretrain")))
            last = "pretrain"
        }
        if var finetune = spec.finetune {
            finetune.initFrom = nil
            stages.append(Stage(FinetuneStage.self, id: "finetune",
                                parameters: .init(finetune: finetune, model: model, seed: spec.seed, enrolment: spec.evaluate.enrolment,
                                                  validation: ValidationSpeakers.finetuning(spec), numerics: numerics, holdout: holdout),
                                inputs: Array(Set(["features", last])).sorted() + initInput("finetune")))
            last = "finetune"
        }
        var evaluateInputs = Array(Set(["features", last])).sorted()
        if spec.evaluate.length == .whole {
            stages.append(Stage(FeaturesStage.self, id: "whole-features", parameters: .init(features: spec.features, whole: true), inputs: ["prepare"]))
        }
        if let calibrate = spec.calibrate, let holdout {
            stages.append(Stage(CalibrateStage.self, id: "calibrate",
                                parameters: .init(calibrate: calibrate, model: model, seed: spec.seed, numerics: numerics, holdout: holdout,
                                                  normalisation: StageArtifacts.fitsOnTraining(spec.evaluate) ? spec.evaluate : nil),
                                inputs: evaluateInputs))
            evaluateInputs.append("calibrate")
        }
        stages.append(Stage(EvaluateStage.self, id: "evaluate", parameters: .init(evaluate: spec.evaluate, model: model, seed: spec.seed, numerics: numerics,
                                                                                 cohortHoldout: StageArtifacts.fitsOnTraining(spec.evaluate) ? holdout : nil,
                                                                                 features: spec.evaluate.length == .whole ? spec.features : nil),
                            inputs: evaluateInputs + (spec.evaluate.length == .whole ? ["whole-features"] : [])))
        stages.append(Stage(ReportStage.self, id: "report", parameters: .init(features: spec.features),
                            inputs: ["prepare", "evaluate"] + (spec.pretrain != nil ? ["pretrain"] : []) + (spec.finetune != nil ? ["finetune"] : [])
                                + (spec.calibrate != nil ? ["calibrate"] : [])))
        return stages
    }
}
