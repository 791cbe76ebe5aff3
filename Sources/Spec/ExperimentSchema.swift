import Pipeline

/// The experiment spec's keys, their defaults, ranges and one line each: the one place defaults
/// live. `ExperimentSpec` is the typed view of a value this schema validated, and the README's
/// spec reference is printed from it (`speakerlab spec reference`). A section without a default
/// (`pretrain`, `finetune`) is absent from the experiment, and so is its stage, unless the spec
/// names it.
public enum ExperimentSchema {
    typealias F = SpecSchema.Field
    typealias C = SpecSchema.Constraint

    /// A finite learning rate above zero and at most 10 (anything larger diverges at once).
    static let learningRate = C.range(0, 10, lowerInclusive: false)

    /// The optimizer: a tagged union whose options belong to its kind.
    static func optimizer(lr: Double, momentum: Double) -> SpecSchema {
        let shared: [String: F] = [
            "lr": F(.number, default: .number(lr), learningRate, "the base learning rate"),
            "weight_decay": F(.number, default: .number(0), .atLeast(0), "added to the gradient (SGD, Adam) or decoupled (AdamW)"),
        ]
        let adam = shared.merging([
            "beta1": F(.number, default: .number(0.9), C.openUnit, "first-moment decay"),
            "beta2": F(.number, default: .number(0.999), C.openUnit, "second-moment decay"),
            "epsilon": F(.number, default: .number(1e-8), C.range(0, 1, lowerInclusive: false), "added to the root of the second moment (PyTorch 1e-8, Keras 1e-7)"),
        ]) { $1 }
        return .tagged(tag: "kind", choices: [
            "sgd": shared.merging([
                "momentum": F(.number, default: .number(momentum), C.range(0, 1, upperInclusive: false), "SGD momentum"),
                "nesterov": F(.boolean, default: .bool(false), "SGD Nesterov momentum"),
            ]) { $1 },
            "adam": adam,
            "adamw": adam,
        ], defaultChoice: "sgd")
    }

    /// The schema of an experiment spec.
    public static let schema: SpecSchema = .object([
        "name": F(.string(allowed: nil), default: .string("experiment"), ExperimentName.constraint, "the experiment's name: its folder in Results/"),
        "seed": F(.integer, default: .integer(1), .range(0, 4_294_967_295), "the seed every generator is split from"),
        "dataset": F(.object([
            "kind": F(.string(allowed: ["synthetic", "timit", "folders"]), default: .string("synthetic"), "the corpus reader"),
            "root": F(.string(allowed: nil), default: .string(""), "the corpus folder (synthetic: generated into the cache); its files are fingerprinted into the prepare stage's key"),
            "speakers": F(.integer, default: .integer(48), .range(2, 10_000), "synthetic: number of speakers"),
            "utterances": F(.integer, default: .integer(10), .range(2, 1_000), "synthetic: utterances per speaker"),
            "test_fraction": F(.number, default: .number(0.25), C.openUnit, "synthetic and folders: fraction of speakers held out for evaluation"),
            "seed": F(.integer, default: .integer(0), .range(0, 4_294_967_295), "synthetic: the corpus's own seed (0: the spec's seed), so runs of several seeds can share one corpus"),
            "validation_fraction": F(.number, default: .number(0.2), C.fractionBelowOne, "pretraining: per-speaker validation fraction (the seed's 80/20; 0: no validation)"),
            "on_bad_file": F(.string(allowed: ["fail", "skip"]), default: .string("fail"), "files that cannot be used (unreadable, truncated, non-finite, too short, silent or without speech after VAD, a repeated id), all listed at prepare: fail stops there; skip leaves them out and the report lists them"),
        ]), default: .object([:]), "which corpus and how it is split"),
        "features": F(.object([
            "vad": F(.string(allowed: ["adaptive", "energy", "none"]), default: .string("adaptive"), "per-frame voice decision under the seed's collector"),
            "aggressiveness": F(.integer, default: .integer(1), .range(0, 3), "adaptive VAD: 0 keeps the most, 3 rejects the most"),
            "cut": F(.string(allowed: ["seed"]), default: .string("seed"), "zero-pad or centre-crop every utterance to `seconds` (training and scoring need one length)"),
            "seconds": F(.number, default: .number(3), C.range(0.1, 60, lowerInclusive: true), "the cut length"),
            "kind": F(.string(allowed: ["logfbank", "logmel", "logmel-htk", "spectrogram", "power-spectrogram", "mfcc"]), default: .string("logfbank"), "the features (mfcc: DCT of logfbank, the classical baseline's)"),
            "bands": F(.integer, default: .integer(40), .range(4, 512), "mel bands"),
            "coefficients": F(.integer, .range(1, 512), "mfcc: cepstral coefficients kept, c0 first, at most `bands` (absent: 20)"),
            "scale": F(.string(allowed: ["int16", "peak", "unit"]), default: .string("int16"), "sample scale (HEAD int16, era A peak)"),
            "normalization": F(.string(allowed: ["per-frame", "cmvn", "none"]), default: .string("per-frame"), "feature normalisation"),
            "rate": F(.integer, default: .integer(16000), .range(4000, 192_000), "the sample rate every file is resampled to"),
        ]), default: .object([:]), "the audio front end"),
        "model": F(.object([
            "graph": F(.string(allowed: nil), default: .string("deepspeaker.yaml"), "a file in Experiments/models/, or a path; hashed by its text"),
            "width": F(.number, default: .number(1), C.range(0, 16, lowerInclusive: false), "scales every conv's filters and dense layer's units"),
            "blocks": F(.list(.integer), C.range(1, 64), "replaces each repeat's count, in order (absent: the graph's own)"),
            "batchnorm_momentum": F(.number, C.openUnit, "overrides every batch norm's momentum (Keras convention: the running average keeps this share)"),
        ]), default: .object([:]), "the network"),
        "pretrain": F(.object([
            "loss": F(.string(allowed: ["softmax", "aam"]), default: .string("softmax"), "softmax cross-entropy or additive angular margin"),
            "aam_margin": F(.number, default: .number(0.2), C.range(0, 1), "aam: the additive angular margin m (radians)"),
            "aam_scale": F(.number, default: .number(32), C.range(1, 128), "aam: the logit scale s"),
            "aam_margin_warmup": F(.integer, .range(1, 10_000), "aam: epochs over which the margin rises linearly, step by step, from 0 to aam_margin (absent: the full margin from the first step)"),
            "warmup": F(.integer, .range(1, 10_000), "epochs over which the learning rate rises linearly, step by step, to its scheduled value (absent: none)"),
            "optimizer": F(optimizer(lr: 0.01, momentum: 0.9), default: .object([:]), "the seed's SGD lr 0.01 momentum 0.9"),
            "batch": F(.integer, default: .integer(32), .range(1, 4_096), "utterances per batch"),
            "epochs": F(.integer, default: .integer(20), .range(1, 10_000), "the epoch cap (HEAD 20, era A 300)"),
            "plateau_factor": F(.number, default: .number(0.1), C.range(0, 1, lowerInclusive: false), "reduce-on-plateau factor (1: never reduce)"),
            "plateau_patience": F(.integer, default: .integer(10), .range(1, 10_000), "reduce-on-plateau patience (epochs)"),
            "early_stopping": F(.integer, default: .integer(10), .range(0, 10_000), "early-stopping patience in epochs (0: never stop early)"),
            "label_smoothing": F(.number, default: .number(0), C.fractionBelowOne, "cross-entropy label smoothing"),
            "l2": F(.number, C.range(0, 1), "replaces the l2 coefficient of every layer the model graph gives one (absent: the graph's own)"),
            "init_from": F(.string(allowed: nil), "start from another run's trained weights: its folder (Results/<name>) or a cache key (64 hex digits); layers that match by name and shape are loaded, the rest (a new speaker head) start fresh; the entry's key is in this stage's key"),
            "freeze": F(.list(.string(allowed: nil)), NonEmpty.constraint, "layers not updated for the first freeze_for epochs: names as `model summary` prints them (conv, batch_normalization_1), or prefixes ending in * (conv*)"),
            "freeze_for": F(.integer, .range(1, 10_000), "epochs the freeze lasts (absent: the whole stage, so only the unfrozen layers train)"),
            "average_last": F(.integer, .range(2, 1_000), "also keep the mean of the last N epochs' weights (averaged.safetensors, for `--checkpoint averaged`; absent: none)"),
            "select": F(.string(allowed: ["validation-loss", "eer"]), "what picks the best checkpoint: validation-loss, the closed-set loss on dataset.validation_fraction of each speaker's utterances (the seed's; the default), or eer, the verification EER of validation_speakers training speakers held out of pretraining"),
            "validation_speakers": F(.integer, .range(2, 10_000), "select: eer: training speakers held out of pretraining, their utterances scored in pairs each epoch (absent: 8)"),
        ]), "softmax pretraining; absent: no pretraining stage"),
        "augment": F(.object([
            "crop": F(.list(.number), NumberRange.constraint(0.1, 60), "pretraining crops of a random position and a length drawn per batch in [min, max] seconds (absent: the centre features.seconds, as the features stage cuts)"),
            "noise": F(.number, default: .number(0.6), C.range(0, 1), "the chance a crop gets additive noise"),
            "noise_kinds": F(.list(.string(allowed: ["coloured", "babble", "folder"])), default: .list([.string("coloured"), .string("babble")]), NonEmpty.constraint, "noise drawn from: white, pink or brown noise; babble of 3–6 other training speakers; recordings from noise_folder"),
            "snr": F(.list(.number), default: .list([.number(0), .number(15)]), NumberRange.constraint(-30, 100), "the SNR range [min, max] in dB, drawn uniformly"),
            "noise_folder": F(.string(allowed: nil), "a folder of noise recordings (MUSAN-style; any audio libsndfile reads, searched recursively; its files are fingerprinted into the key); needs noise_kinds to name folder"),
            "reverb": F(.number, default: .number(0.3), C.range(0, 1), "the chance a crop is reverberated"),
            "rir_folder": F(.string(allowed: nil), "a folder of room impulse responses (absent: `rooms` shoebox rooms simulated by the image method)"),
            "rooms": F(.integer, default: .integer(40), .range(1, 10_000), "rooms simulated by the image method (3–10 × 3–8 × 2.5–4 m, RT60 0.2–0.8 s) when there is no rir_folder"),
            "speed": F(.list(.number), default: .list([]), C.range(0.5, 2), "speed-perturbation factors (e.g. [0.9, 1.1]): each adds a copy of every training utterance as a new speaker"),
            "time_masks": F(.integer, default: .integer(1), .range(0, 100), "SpecAugment time masks per crop"),
            "time_mask_frames": F(.integer, default: .integer(20), .range(0, 10_000), "a time mask's widest span (frames)"),
            "frequency_masks": F(.integer, default: .integer(1), .range(0, 100), "SpecAugment frequency masks per crop"),
            "frequency_mask_bands": F(.integer, default: .integer(5), .range(0, 512), "a frequency mask's widest span (bands)"),
        ]), "on-the-fly augmentation of pretraining's crops, seeded by the step and the utterance; absent: the features stage's fixed cuts"),
        "finetune": F(.object([
            "optimizer": F(optimizer(lr: 1e-4, momentum: 0.9), default: .object([:]), "the seed's HEAD SGD lr 1e-4 momentum 0.9"),
            "triplets": F(.integer, default: .integer(16), .range(1, 4_096), "triplets per [A|P|N] batch"),
            "margin": F(.number, default: .number(0.1), C.range(0, 2), "the triplet margin α"),
            "reduction": F(.string(allowed: ["sum", "mean"]), default: .string("sum"), "sum (HEAD) or mean (era A) over triplets"),
            "mining": F(.string(allowed: ["random", "hard"]), default: .string("random"), "random triplets or hard mining"),
            "candidates": F(.integer, default: .integer(64), .range(3, 65_536), "hard mining: utterances embedded per step to mine from"),
            "per_anchor": F(.integer, default: .integer(2), .range(1, 64), "hard mining: hardest positives and negatives kept per anchor"),
            "steps": F(.integer, default: .integer(200), .range(1, 10_000_000), "fine-tuning steps"),
            "evaluate_every": F(.integer, default: .integer(50), .range(1, 10_000_000), "steps between held-out EER evaluations"),
            "l2": F(.number, C.range(0, 1), "replaces the l2 coefficient of every layer the model graph gives one (absent: the graph's own)"),
            "init_from": F(.string(allowed: nil), "start from another run's trained weights: its folder (Results/<name>) or a cache key (64 hex digits); layers that match by name and shape are loaded, the rest (a new speaker head) start fresh; the entry's key is in this stage's key"),
            "freeze": F(.list(.string(allowed: nil)), NonEmpty.constraint, "layers not updated for the first freeze_for steps: names as `model summary` prints them (conv, batch_normalization_1), or prefixes ending in * (conv*)"),
            "freeze_for": F(.integer, .range(1, 10_000_000), "steps the freeze lasts (absent: the whole stage, so only the unfrozen layers train)"),
            "average_last": F(.integer, .range(2, 1_000), "also keep the mean of the weights at the last N evaluations (averaged.safetensors, for `--checkpoint averaged`; absent: none)"),
            "select": F(.string(allowed: ["eer", "last", "test-speakers"]), default: .string("eer"), "what picks the kept checkpoint: eer, the lowest EER of validation_speakers training speakers held out of fine-tuning (the same speakers pretraining holds out when it selects on eer); last, the last step; test-speakers, the lowest EER on the test speakers (the seed's practice, for reproducing its numbers only: every table, report and comparison marks such a run)"),
            "validation_speakers": F(.integer, .range(2, 10_000), "select: eer: training speakers held out of fine-tuning, their utterances scored in pairs at every evaluation (absent: pretrain.validation_speakers when pretraining selects on eer, else 8)"),
        ]), "triplet fine-tuning; absent: no fine-tuning stage"),
        "calibrate": F(.object([
            "speakers": F(.integer, default: .integer(8), .range(2, 10_000), "training speakers held out of training to fit the calibration on (never the test speakers)"),
            "enrolment": F(.integer, default: .integer(3), .range(1, 1_000), "enrolment utterances per calibration speaker's model"),
            "operating_point": F(.string(allowed: ["eer", "min_dcf_p0.01", "min_dcf_p0.001"]), default: .string("eer"), "the threshold `speakerlab verify` decides at"),
        ]), "linear logistic calibration of scores to log-likelihood ratios; absent: no calibrate stage"),
        "evaluate": F(.object([
            "tasks": F(.list(.string(allowed: ["sv", "si"])), default: .list([.string("sv"), .string("si")]), NonEmpty.constraint, "verification and/or identification"),
            "protocol": F(.string(allowed: ["trials", "pairs", "membership-era-a", "membership-head"]), default: .string("trials"), "SV protocol: speaker-model trials, pairwise trials (every same-speaker pair and a seeded sample of different-speaker pairs, as VoxCeleb lists), or the seed's membership scoring with 20 (era A) or half (HEAD) of the speakers enrolled"),
            "enrolment": F(.integer, default: .integer(3), .range(1, 1_000), "trials: enrolment utterances per speaker"),
            "nontarget_pairs": F(.integer, default: .integer(10000), .range(1, 100_000_000), "pairs: different-speaker pairs drawn (all of them when there are fewer)"),
            "bootstrap": F(.integer, default: .integer(1000), .range(2, 100_000), "resamples of the speaker bootstrap behind every 95 % confidence interval (seeded by the spec's seed)"),
            "score_norm": F(.string(allowed: ["none", "as-norm"]), "as-norm: adaptive symmetric normalisation of every verification score against a cohort of the training speakers' mean embeddings (absent: none, raw cosines)"),
            "embedding_norm": F(.string(allowed: ["none", "standardise"]), "standardise: every embedding less the training utterances' mean, divided per dimension by their standard deviation, before scoring and identification (the classical baseline's z-normalisation; absent: none)"),
            "length": F(.string(allowed: ["cut", "whole"]), "whole: embed each whole voiced utterance (any length, zero-padded to at least 1 s), the test utterances and those evaluate fits on; absent or cut: the features stage's cut"),
            "cohort_top": F(.integer, .range(1, 100_000), "as-norm: the closest cohort members each side's statistics use (absent: 100, or the whole cohort when smaller)"),
            "metrics": F(.list(.string(allowed: MetricNames.all)), default: .list([.string("eer"), .string("auc"), .string("min_dcf_p0.01")]), NonEmpty.constraint, "verification metrics"),
        ]), default: .object([:]), "how the embeddings are scored"),
        "execution": F(.object([
            "executor": F(.string(allowed: ["local", "slurm"]), default: .string("local"), "run stages here or as Slurm jobs (in no cache key)"),
            "partition": F(.string(allowed: nil), default: .string(""), "slurm: sbatch --partition (empty: the cluster's default)"),
            "time": F(.string(allowed: nil), default: .string(""), "slurm: sbatch --time per stage, e.g. 04:00:00"),
            "mem": F(.string(allowed: nil), default: .string(""), "slurm: sbatch --mem per stage, e.g. 16G"),
            "cpus": F(.integer, default: .integer(0), .range(0, 4_096), "slurm: sbatch --cpus-per-task (0: the cluster's default)"),
            "max_parallel": F(.integer, default: .integer(0), .range(0, 100_000), "slurm: the %N cap on a sweep's job arrays (0: none)"),
            "threads": F(.integer, default: .integer(0), .range(0, 4_096), "engine threads (0: the CPUs this process may use); results do not depend on it"),
            "numerics": F(.string(allowed: ["reproducible", "fast"]), default: .string("reproducible"),
                          "reproducible: the same bytes on any AVX2 machine; fast: OpenBLAS kernels for this CPU (in the network stages' keys)"),
        ]), default: .object([:]), "where stages run; outside every cache key but execution.numerics: fast"),
        "report": F(.object([
            "title": F(.string(allowed: nil), default: .string(""), "the report's title (cosmetic: in no cache key)"),
        ]), default: .object([:]), "the report"),
    ])
}

/// The rule for an experiment's name: one folder under the results folder.
enum ExperimentName {
    static let constraint = SpecSchema.Constraint("one folder name: letters, digits, '.', '_', '-', '+', starting with a letter or digit") { value in
        guard case let .string(name) = value else { return nil }
        return problem(name).map { "it \($0); a name is one folder under the results folder (e.g. name: quickstart-lr2)" }
    }

    /// Why a name cannot be a results folder, or nil when it can.
    static func problem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.count > 100 { return "is longer than 100 characters" }
        if name.contains("/") || name.contains("\\") { return "holds a path separator, so it would write outside its own folder" }
        if name.hasPrefix(".") { return "starts with '.', which names the results folder itself, its parent or a hidden folder such as the cache" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+")
        if let bad = name.first(where: { !allowed.contains($0) }) { return "holds '\(bad)'" }
        return nil
    }
}

/// The rule for a [min, max] pair of numbers.
enum NumberRange {
    static func constraint(_ lowest: Double, _ highest: Double) -> SpecSchema.Constraint {
        SpecSchema.Constraint("two numbers [min, max], min ≤ max, within [\(lowest), \(highest)]") { value in
            guard case let .list(items) = value else { return nil }
            let numbers = items.compactMap { item -> Double? in
                if case let .integer(number) = item { return Double(number) }
                if case let .number(number) = item { return number }
                return nil
            }
            guard numbers.count == 2, items.count == 2 else { return "it must be two numbers [min, max], e.g. [2, 4]" }
            if numbers[0] > numbers[1] { return "its min \(numbers[0]) is above its max \(numbers[1]); write [min, max]" }
            if numbers[0] < lowest || numbers[1] > highest { return "it must lie within [\(lowest), \(highest)]" }
            return nil
        }
    }
}

/// The rule for lists that must name something.
enum NonEmpty {
    static let constraint = SpecSchema.Constraint("at least one entry, none twice") { value in
        guard case let .list(items) = value else { return nil }
        if items.isEmpty { return "it must name at least one" }
        if Set(items).count < items.count { return "it names one entry twice; list each once" }
        return nil
    }
}

/// The verification metric names `evaluate.metrics` accepts: the Metrics layer's
/// `VerificationMetric` names (the Spec layer does not import Metrics; a Stages test checks that
/// the two lists agree).
public enum MetricNames {
    /// Every name, in `VerificationMetric`'s order.
    public static let all = ["eer", "auc", "ap", "min_dcf_p0.01", "min_dcf_p0.001", "act_dcf_p0.01", "cllr", "eer_seed", "acc_seed", "pr_auc_seed"]
}
