import Pipeline

/// The experiment spec's keys, their defaults and one line each: the one place defaults live.
/// A section without a default (`pretrain`, `finetune`) is absent from the experiment, and so
/// is its stage, unless the spec names it.
public enum ExperimentSchema {
    typealias F = SpecSchema.Field

    static let optimizerDefaults: (kind: String, lr: Double, momentum: Double) = ("sgd", 0.01, 0.9)

    static func optimizer(kind: String, lr: Double, momentum: Double) -> SpecSchema {
        .object([
            "kind": F(.string(allowed: ["sgd", "adam", "adamw"]), default: .string(kind), "sgd, adam or adamw"),
            "lr": F(.number, default: .number(lr), "the base learning rate"),
            "momentum": F(.number, default: .number(momentum), "SGD momentum"),
            "nesterov": F(.boolean, default: .bool(false), "SGD Nesterov momentum"),
            "weight_decay": F(.number, default: .number(0), "added to the gradient (SGD, Adam) or decoupled (AdamW)"),
        ])
    }

    /// The schema of an experiment spec.
    public static let schema: SpecSchema = .object([
        "name": F(.string(allowed: nil), default: .string("experiment"), "the experiment's name: its folder in Results/"),
        "seed": F(.integer, default: .integer(1), "the seed every generator is split from"),
        "dataset": F(.object([
            "kind": F(.string(allowed: ["synthetic", "timit", "folders"]), default: .string("synthetic"), "the corpus reader"),
            "root": F(.string(allowed: nil), default: .string(""), "the corpus folder (synthetic: generated into the cache)"),
            "speakers": F(.integer, default: .integer(48), "synthetic: number of speakers"),
            "utterances": F(.integer, default: .integer(10), "synthetic: utterances per speaker"),
            "test_fraction": F(.number, default: .number(0.25), "synthetic: fraction of speakers held out for evaluation"),
            "seed": F(.integer, default: .integer(0), "synthetic: the corpus's own seed (0: the spec's seed), so runs of several seeds can share one corpus"),
            "validation_fraction": F(.number, default: .number(0.2), "pretraining: per-speaker validation fraction (the seed's 80/20)"),
            "trials": F(.string(allowed: nil), default: .string(""), "a VoxCeleb trial file, relative to root"),
        ]), default: .object([:]), "which corpus and how it is split"),
        "features": F(.object([
            "vad": F(.string(allowed: ["adaptive", "energy", "none"]), default: .string("adaptive"), "per-frame voice decision under the seed's collector"),
            "aggressiveness": F(.integer, default: .integer(1), "adaptive VAD: 0 keeps the most, 3 rejects the most"),
            "cut": F(.string(allowed: ["seed", "none"]), default: .string("seed"), "zero-pad or centre-crop to `seconds`, or keep lengths"),
            "seconds": F(.number, default: .number(3), "the cut length"),
            "kind": F(.string(allowed: ["logfbank", "logmel", "logmel-htk", "spectrogram", "power-spectrogram"]), default: .string("logfbank"), "the features"),
            "bands": F(.integer, default: .integer(40), "mel bands"),
            "scale": F(.string(allowed: ["int16", "peak", "unit"]), default: .string("int16"), "sample scale (HEAD int16, era A peak)"),
            "normalization": F(.string(allowed: ["per-frame", "cmvn", "none"]), default: .string("per-frame"), "feature normalisation"),
            "rate": F(.integer, default: .integer(16000), "the sample rate every file is resampled to"),
        ]), default: .object([:]), "the audio front end"),
        "model": F(.object([
            "graph": F(.string(allowed: nil), default: .string("deepspeaker.yaml"), "a file in Experiments/models/"),
            "width": F(.number, default: .number(1), "scales every conv's filters and dense layer's units"),
            "blocks": F(.numbers, "replaces each repeat's count, in order"),
            "batchnorm_momentum": F(.number, "overrides every batch norm's momentum"),
        ]), default: .object([:]), "the network"),
        "pretrain": F(.object([
            "loss": F(.string(allowed: ["softmax", "aam"]), default: .string("softmax"), "softmax cross-entropy or additive angular margin"),
            "optimizer": F(optimizer(kind: "sgd", lr: 0.01, momentum: 0.9), default: .object([:]), "the seed's SGD lr 0.01 momentum 0.9"),
            "batch": F(.integer, default: .integer(32), "utterances per batch"),
            "epochs": F(.integer, default: .integer(20), "the epoch cap (HEAD 20, era A 300)"),
            "plateau_factor": F(.number, default: .number(0.1), "reduce-on-plateau factor"),
            "plateau_patience": F(.integer, default: .integer(10), "reduce-on-plateau patience (epochs)"),
            "early_stopping": F(.integer, default: .integer(10), "early-stopping patience (epochs)"),
            "label_smoothing": F(.number, default: .number(0), "cross-entropy label smoothing"),
            "l2": F(.number, default: .number(1e-5), "Keras l2() on the layers the graph marks"),
        ]), "softmax pretraining; absent: no pretraining stage"),
        "finetune": F(.object([
            "optimizer": F(optimizer(kind: "sgd", lr: 1e-4, momentum: 0.9), default: .object([:]), "the seed's HEAD SGD lr 1e-4 momentum 0.9"),
            "triplets": F(.integer, default: .integer(16), "triplets per [A|P|N] batch"),
            "margin": F(.number, default: .number(0.1), "the triplet margin α"),
            "reduction": F(.string(allowed: ["sum", "mean"]), default: .string("sum"), "sum (HEAD) or mean (era A) over triplets"),
            "mining": F(.string(allowed: ["random", "hard"]), default: .string("random"), "random triplets or hard mining"),
            "steps": F(.integer, default: .integer(200), "fine-tuning steps"),
            "evaluate_every": F(.integer, default: .integer(50), "steps between held-out EER evaluations"),
        ]), "triplet fine-tuning; absent: no fine-tuning stage"),
        "evaluate": F(.object([
            "tasks": F(.list(.string(allowed: ["sv", "si"])), default: .list([.string("sv"), .string("si")]), "verification and/or identification"),
            "protocol": F(.string(allowed: ["trials", "pairs", "membership-era-a", "membership-head"]), default: .string("trials"), "SV protocol: speaker-model trials, pairwise trials (every same-speaker pair and a seeded sample of different-speaker pairs, as VoxCeleb lists), or the seed's membership scoring with 20 (era A) or half (HEAD) of the speakers enrolled"),
            "enrolment": F(.integer, default: .integer(3), "trials: enrolment utterances per speaker"),
            "nontarget_pairs": F(.integer, default: .integer(10000), "pairs: different-speaker pairs drawn (all of them when there are fewer)"),
            "bootstrap": F(.integer, default: .integer(1000), "resamples of the speaker bootstrap behind every 95 % confidence interval (seeded by the spec's seed)"),
            "metrics": F(.list(.string(allowed: nil)), default: .list([.string("eer"), .string("auc"), .string("min_dcf_p0.01")]), "metric names"),
        ]), default: .object([:]), "how the embeddings are scored"),
        "execution": F(.object([
            "executor": F(.string(allowed: ["local", "slurm"]), default: .string("local"), "run stages here or as Slurm jobs (in no cache key)"),
            "partition": F(.string(allowed: nil), default: .string(""), "slurm: sbatch --partition (empty: the cluster's default)"),
            "time": F(.string(allowed: nil), default: .string(""), "slurm: sbatch --time per stage, e.g. 04:00:00"),
            "mem": F(.string(allowed: nil), default: .string(""), "slurm: sbatch --mem per stage, e.g. 16G"),
            "cpus": F(.integer, default: .integer(0), "slurm: sbatch --cpus-per-task (0: the cluster's default)"),
            "max_parallel": F(.integer, default: .integer(0), "slurm: the %N cap on a sweep's job arrays (0: none)"),
            "threads": F(.integer, default: .integer(0), "engine threads (0: the CPUs this process may use); results do not depend on it"),
            "numerics": F(.string(allowed: ["reproducible", "fast"]), default: .string("reproducible"),
                          "reproducible: the same bytes on any AVX2 machine; fast: OpenBLAS kernels for this CPU (in the network stages' keys)"),
        ]), default: .object([:]), "where stages run; outside every cache key but execution.numerics: fast"),
        "report": F(.object([
            "title": F(.string(allowed: nil), default: .string(""), "the report's title (cosmetic: in no cache key)"),
        ]), default: .object([:]), "the report"),
    ])
}
