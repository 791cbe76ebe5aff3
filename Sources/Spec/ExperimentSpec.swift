import Foundation
import Pipeline

/// The typed experiment spec: one struct per section, enums for every variant. It is the
/// `Codable` view of a value `ExperimentSchema` validated (defaults, ranges and docs live there,
/// once); `load` reads a spec file once, applies overrides and decodes. Encoding it gives back
/// exactly the validated value (a test holds the two to that).
public struct ExperimentSpec: Codable, Hashable, Sendable {
    /// The experiment's name: its folder in the results folder.
    public var name: String
    /// The seed every generator is split from.
    public var seed: Int
    /// Which corpus and how it is split.
    public var dataset: DatasetSpec
    /// The audio front end.
    public var features: FeaturesSpec
    /// The network.
    public var model: ModelSpec
    /// Softmax pretraining; nil: no pretraining stage.
    public var pretrain: PretrainSpec?
    /// Triplet fine-tuning; nil: no fine-tuning stage.
    public var finetune: FinetuneSpec?
    /// On-the-fly augmentation of pretraining; nil: the features stage's fixed cuts.
    public var augment: AugmentSpec?
    /// Score calibration; nil: no calibrate stage.
    public var calibrate: CalibrateSpec?
    /// How the embeddings are scored.
    public var evaluate: EvaluateSpec
    /// Where stages run (in no cache key but the numerics mode).
    public var execution: ExecutionSpec
    /// The report.
    public var report: ReportSpec

    /// Decodes a value the experiment schema validated.
    public init(validated value: CanonicalValue) throws {
        self = try value.decoded(as: ExperimentSpec.self)
    }

    /// The canonical value (the resolved spec that `spec.json` records).
    public var canonical: CanonicalValue { CanonicalValue(encoding: self) }

    /// Reads a spec file, applies `--set` overrides, validates and decodes.
    public static func load(path: String, overrides: [String] = []) throws -> (spec: ExperimentSpec, resolved: ResolvedSpec) {
        try load(SpecSource(path: path), overrides: overrides)
    }

    /// Applies overrides to a spec already read, validates and decodes.
    public static func load(_ source: SpecSource, overrides: [String] = []) throws -> (spec: ExperimentSpec, resolved: ResolvedSpec) {
        let resolved = try source.resolve(overrides: overrides, schema: ExperimentSchema.schema)
        return (try ExperimentSpec(validated: resolved.value), resolved)
    }
}

/// `dataset:` — which corpus and how it is split.
public struct DatasetSpec: Codable, Hashable, Sendable {
    /// The corpus reader.
    public enum Kind: String, Codable, Hashable, Sendable { case synthetic, timit, folders }
    public var kind: Kind
    /// The corpus folder (empty for the synthetic corpus).
    public var root: String
    /// Synthetic: speakers and utterances per speaker.
    public var speakers: Int
    public var utterances: Int
    /// Fraction of speakers held out for evaluation (synthetic and folders).
    public var testFraction: Double
    /// Synthetic: the corpus's own seed (0: the spec's seed).
    public var seed: Int
    /// Pretraining's per-speaker validation fraction.
    public var validationFraction: Double
    /// What to do with files that cannot be used.
    public enum BadFilePolicy: String, Codable, Hashable, Sendable { case fail, skip }
    /// Fail at prepare listing every problem file, or leave them out and list them in the report.
    public var onBadFile: BadFilePolicy
}

/// `features:` — the audio front end.
public struct FeaturesSpec: Codable, Hashable, Sendable {
    /// The per-frame voice decision.
    public enum VoiceDetection: String, Codable, Hashable, Sendable { case adaptive, energy, none }
    /// How utterances are brought to one length.
    public enum Cut: String, Codable, Hashable, Sendable { case seed }
    public var vad: VoiceDetection
    public var aggressiveness: Int
    public var cut: Cut
    public var seconds: Double
    /// The feature kind's name (`logfbank`, `logmel`, …; the Audio layer's `FeatureKind`).
    public var kind: String
    public var bands: Int
    /// MFCC's cepstral coefficients (nil: 20); only for `kind: mfcc`.
    public var coefficients: Int?
    /// The sample scale's name (`int16`, `peak`, `unit`).
    public var scale: String
    /// The normalisation's name (`per-frame`, `cmvn`, `none`).
    public var normalization: String
    public var rate: Int
}

/// `model:` — the network.
public struct ModelSpec: Codable, Hashable, Sendable {
    /// A file in `Experiments/models/`, or a path.
    public var graph: String
    /// Scales every conv's filters and dense layer's units.
    public var width: Double
    /// Replaces each repeat's count, in order.
    public var blocks: [Int]?
    /// Overrides every batch norm's momentum.
    public var batchnormMomentum: Double?
}

/// An optimizer: a tagged union whose options belong to its kind (`kind: sgd` has momentum,
/// `kind: adam` has betas), so changing the kind replaces the options.
public enum OptimizerSpec: Codable, Hashable, Sendable {
    /// SGD with momentum, Nesterov and weight decay.
    case sgd(SGDOptions)
    /// Adam with L2 weight decay added to the gradient.
    case adam(AdamOptions)
    /// Adam with decoupled weight decay.
    case adamw(AdamOptions)

    /// SGD's options.
    public struct SGDOptions: Codable, Hashable, Sendable {
        public var lr: Double
        public var momentum: Double
        public var nesterov: Bool
        public var weightDecay: Double
    }

    /// Adam's and AdamW's options.
    public struct AdamOptions: Codable, Hashable, Sendable {
        public var lr: Double
        public var beta1: Double
        public var beta2: Double
        public var epsilon: Double
        public var weightDecay: Double
    }

    /// The base learning rate.
    public var learningRate: Double {
        switch self {
        case let .sgd(options): return options.lr
        case let .adam(options), let .adamw(options): return options.lr
        }
    }

    enum Tag: String, Codable { case sgd, adam, adamw }
    enum TagKey: String, CodingKey { case kind }

    public init(from decoder: Decoder) throws {
        switch try decoder.container(keyedBy: TagKey.self).decode(Tag.self, forKey: .kind) {
        case .sgd: self = .sgd(try SGDOptions(from: decoder))
        case .adam: self = .adam(try AdamOptions(from: decoder))
        case .adamw: self = .adamw(try AdamOptions(from: decoder))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: TagKey.self)
        switch self {
        case let .sgd(options): try container.encode(Tag.sgd, forKey: .kind); try options.encode(to: encoder)
        case let .adam(options): try container.encode(Tag.adam, forKey: .kind); try options.encode(to: encoder)
        case let .adamw(options): try container.encode(Tag.adamw, forKey: .kind); try options.encode(to: encoder)
        }
    }
}

/// `pretrain:` — softmax (or AAM) pretraining.
public struct PretrainSpec: Codable, Hashable, Sendable {
    /// The classification loss.
    public enum Loss: String, Codable, Hashable, Sendable { case softmax, aam }
    public var loss: Loss
    public var aamMargin: Double
    public var aamScale: Double
    public var optimizer: OptimizerSpec
    public var batch: Int
    public var epochs: Int
    public var plateauFactor: Double
    public var plateauPatience: Int
    /// Early-stopping patience in epochs; 0: never stop early.
    public var earlyStopping: Int
    public var labelSmoothing: Double
    /// Replaces the model graph's L2 coefficients; nil: the graph's own.
    public var l2: Double?
    /// Another run's weights to start from (a run folder or a cache key); nil: a fresh network.
    public var initFrom: String?
    /// Layer names or prefixes held fixed for the first `freezeFor` epochs (nil: the whole stage).
    public var freeze: [String]?
    public var freezeFor: Int?
    /// Also keep the mean of the last this many epochs' weights (nil: none).
    public var averageLast: Int?
    /// Epochs of linear learning-rate warm-up (nil: none).
    public var warmup: Int?
    /// Epochs over which the AAM margin rises from 0 (nil: the full margin from the start).
    public var aamMarginWarmup: Int?
    /// What picks the best checkpoint.
    public enum Selection: String, Codable, Hashable, Sendable {
        case validationLoss = "validation-loss"
        case eer
    }
    /// What picks the best checkpoint (nil: the validation loss).
    public var select: Selection?
    /// `select: eer`: training speakers held out of pretraining to measure the EER on (nil: 8).
    public var validationSpeakers: Int?
}

/// `augment:` — on-the-fly augmentation of pretraining's crops.
public struct AugmentSpec: Codable, Hashable, Sendable {
    /// A random crop's length range in seconds, drawn per batch (nil: the centre `features.seconds`).
    public var crop: [Double]?
    /// The chance a crop gets additive noise.
    public var noise: Double
    /// The noise kinds (`coloured`, `babble`, `folder`).
    public var noiseKinds: [String]
    /// The SNR range in dB.
    public var snr: [Double]
    /// A folder of noise recordings (MUSAN-style; nil: none).
    public var noiseFolder: String?
    /// The chance a crop is reverberated.
    public var reverb: Double
    /// A folder of room impulse responses (nil: rooms simulated by the image method).
    public var rirFolder: String?
    /// Simulated rooms.
    public var rooms: Int
    /// Speed factors whose perturbed copies are new speakers (empty: none).
    public var speed: [Double]
    /// SpecAugment-style masks.
    public var timeMasks: Int
    public var timeMaskFrames: Int
    public var frequencyMasks: Int
    public var frequencyMaskBands: Int
}

/// `finetune:` — triplet fine-tuning.
public struct FinetuneSpec: Codable, Hashable, Sendable {
    /// How per-triplet losses are combined.
    public enum Reduction: String, Codable, Hashable, Sendable { case sum, mean }
    /// How triplets are chosen.
    public enum Mining: String, Codable, Hashable, Sendable { case random, hard }
    public var optimizer: OptimizerSpec
    public var triplets: Int
    public var margin: Double
    public var reduction: Reduction
    public var mining: Mining
    public var candidates: Int
    public var perAnchor: Int
    public var steps: Int
    public var evaluateEvery: Int
    /// Replaces the model graph's L2 coefficients; nil: the graph's own.
    public var l2: Double?
    /// Another run's weights to start from (a run folder or a cache key); nil: the pretrained network.
    public var initFrom: String?
    /// Layer names or prefixes held fixed for the first `freezeFor` steps (nil: the whole stage).
    public var freeze: [String]?
    public var freezeFor: Int?
    /// Also keep the mean of the weights at the last this many evaluations (nil: none).
    public var averageLast: Int?
    /// What picks the checkpoint fine-tuning keeps.
    public enum Selection: String, Codable, Hashable, Sendable {
        /// The lowest EER on validation speakers held out of fine-tuning (the default).
        case eer
        /// The last step's weights; nothing is held out and nothing is chosen.
        case last
        /// The lowest EER on the test speakers: the seed's own practice, an explicit opt-in that
        /// every table, report and comparison marks, for the specs that reproduce its numbers.
        case testSpeakers = "test-speakers"
    }
    /// What picks the kept checkpoint.
    public var select: Selection
    /// `select: eer`: training speakers held out of fine-tuning to measure the EER on (nil: the
    /// pretraining's own when it selects on EER, else 8).
    public var validationSpeakers: Int?
}

/// `calibrate:` — linear logistic calibration of scores to log-likelihood ratios.
public struct CalibrateSpec: Codable, Hashable, Sendable {
    /// The threshold `verify` decides at.
    public enum OperatingPoint: String, Codable, Hashable, Sendable, CaseIterable {
        case eer
        case minDCF001 = "min_dcf_p0.01"
        case minDCF0001 = "min_dcf_p0.001"
    }
    /// Training speakers held out of training for the calibration trials.
    public var speakers: Int
    /// Enrolment utterances per calibration speaker.
    public var enrolment: Int
    public var operatingPoint: OperatingPoint
}

/// `evaluate:` — how the embeddings are scored.
public struct EvaluateSpec: Codable, Hashable, Sendable {
    /// A task.
    public enum Task: String, Codable, Hashable, Sendable { case sv, si }
    /// The verification protocol.
    public enum VerificationProtocol: String, Codable, Hashable, Sendable {
        case trials, pairs
        case membershipEraA = "membership-era-a"
        case membershipHead = "membership-head"
    }
    public var tasks: [Task]
    public var `protocol`: VerificationProtocol
    public var enrolment: Int
    public var nontargetPairs: Int
    public var bootstrap: Int
    /// Verification metric names (the Metrics layer's `VerificationMetric`).
    public var metrics: [String]
    /// Score normalisation.
    public enum ScoreNorm: String, Codable, Hashable, Sendable { case none, asNorm = "as-norm" }
    /// Score normalisation (nil: none).
    public var scoreNorm: ScoreNorm?
    /// AS-norm's top-N cohort size (nil: 100).
    public var cohortTop: Int?
    /// Embedding normalisation before scoring.
    public enum EmbeddingNorm: String, Codable, Hashable, Sendable { case none, standardise }
    /// Embedding normalisation (nil: none).
    public var embeddingNorm: EmbeddingNorm?
    /// What is embedded: the features stage's cut, or the whole voiced utterance.
    public enum Length: String, Codable, Hashable, Sendable { case cut, whole }
    /// What is embedded (nil: the cut).
    public var length: Length?
}

/// `execution:` — where stages run.
public struct ExecutionSpec: Codable, Hashable, Sendable {
    /// Where stages run.
    public enum Executor: String, Codable, Hashable, Sendable { case local, slurm }
    /// The numerics mode.
    public enum Numerics: String, Codable, Hashable, Sendable { case reproducible, fast }
    public var executor: Executor
    public var partition: String
    public var time: String
    public var mem: String
    public var cpus: Int
    public var maxParallel: Int
    public var threads: Int
    public var numerics: Numerics
}

/// `report:` — the report.
public struct ReportSpec: Codable, Hashable, Sendable {
    /// The report's title (empty: the experiment's name).
    public var title: String
}
