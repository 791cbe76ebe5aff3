import Audio
import Datasets
import Foundation
import Models
import Pipeline
import NN
import Randomness
import Reports
import Spec
import Tensor
import Training

/// What several experiment stages share: reading the features artifact, building the network a
/// spec names from its hashed text, the front end's settings and the optimizer a spec names.
enum StageArtifacts {
    /// The features of one split with labels over that split's sorted speakers. With a
    /// calibration hold-out, `train` leaves its speakers out and `calibration` is just them.
    static func load(_ folder: URL, split: String, holdout: CalibrationHoldout? = nil) throws -> TrainingData {
        SplitAudit.shared.record(split, folder: folder)
        let (shape, values) = try NumpyArrayFile.decode(Data(contentsOf: folder.appendingPathComponent("features.npy")))
        let table = try CSV.parse(try String(contentsOf: folder.appendingPathComponent("utterances.csv"), encoding: .utf8))
        let rows = table.rows
        let heldOut = try holdout.map { try $0.speakers(of: rows.filter { $0[2] == "train" }.map { $0[1] }) } ?? []
        let chosen = rows.indices.filter { index in
            let row = rows[index]
            if split == "calibration" { return row[2] == "train" && heldOut.contains(row[1]) }
            return (row[2] == split || split.isEmpty) && !(row[2] == "train" && heldOut.contains(row[1]))
        }
        guard !chosen.isEmpty else { throw DatasetError("the corpus has no '\(split)' utterances") }
        let speakers = Set(chosen.map { rows[$0][1] }).sorted()
        let speakerIndex = Dictionary(uniqueKeysWithValues: speakers.enumerated().map { ($1, $0) })
        if table.header.count == 4, table.header[3] == "frames" {
            // Whole utterances: [total frames, bands], each row's frames in order.
            let bands = shape[1]
            var starts: [Int] = [], start = 0
            for row in rows {
                guard let frames = Int(row[3]), frames > 0 else { throw DatasetError("\(folder.path)/utterances.csv: a row's frames is not a positive count") }
                starts.append(start)
                start += frames
            }
            guard start * bands == values.count else { throw DatasetError("\(folder.path): utterances.csv's frames do not add up to features.npy; run the stage again") }
            return try TrainingData(variableLength: chosen.map { index in
                let frames = Int(rows[index][3])!
                return FeatureMatrix(frames: frames, bands: bands, values: Array(values[(starts[index] * bands)..<((starts[index] + frames) * bands)]))
            }, labels: chosen.map { speakerIndex[rows[$0][1]]! }, ids: chosen.map { rows[$0][0] })
        }
        let size = shape[1] * shape[2]
        return try TrainingData(features: chosen.map { FeatureMatrix(frames: shape[1], bands: shape[2], values: Array(values[($0 * size)..<(($0 + 1) * size)])) },
                                labels: chosen.map { speakerIndex[rows[$0][1]]! }, ids: chosen.map { rows[$0][0] })
    }

    /// The AS-norm cohort an `evaluate:` section asks for (nil: no normalisation): the mean
    /// embedding of every speaker the network trained on (the training split less a calibration
    /// hold-out), so evaluate, calibrate, `score` and `verify` normalise against the same cohort.
    static func normalisation(_ section: EvaluateSpec, features: URL, network: ModelGraph, holdout: CalibrationHoldout?,
                              standardisation: EmbeddingStandardisation?) throws -> ScoreNormalisation? {
        guard section.scoreNorm == .asNorm else { return nil }
        let cohort = try load(features, split: "train", holdout: holdout)
        return ScoreNormalisation(speakerMeansOf: standardised(Embedding.embed(model: network, data: cohort), by: standardisation), labels: cohort.labels,
                                  topN: section.cohortTop ?? 100)
    }

    /// The embedding standardisation `evaluate.embedding_norm: standardise` fits on the training
    /// utterances (less a calibration hold-out); nil without it.
    static func standardisation(_ section: EvaluateSpec, features: URL, network: ModelGraph, holdout: CalibrationHoldout?) throws -> EmbeddingStandardisation? {
        guard section.embeddingNorm == .standardise else { return nil }
        let training = try load(features, split: "train", holdout: holdout)
        return EmbeddingStandardisation(fittedOn: Embedding.embed(model: network, data: training))
    }

    /// Embeddings as they are scored: standardised when there is a standardisation.
    static func standardised(_ embeddings: [[Float]], by standardisation: EmbeddingStandardisation?) -> [[Float]] {
        guard let standardisation else { return embeddings }
        return embeddings.map(standardisation.apply)
    }

    /// Whether an evaluation fits anything on the training utterances (AS-norm's cohort, the
    /// standardisation), so a calibration hold-out must be left out of them.
    static func fitsOnTraining(_ section: EvaluateSpec) -> Bool {
        section.scoreNorm == .asNorm || section.embeddingNorm == .standardise
    }

    /// The sorted names of the speakers of these utterance ids in a features artifact.
    static func speakerNames(_ folder: URL, ids: Set<String>) throws -> [String] {
        let table = try CSV.parse(try String(contentsOf: folder.appendingPathComponent("utterances.csv"), encoding: .utf8))
        return Set(table.rows.filter { ids.contains($0[0]) }.map { $0[1] }).sorted()
    }

    /// Loads another run's weights into `network` where names and shapes match (`init_from`);
    /// a checkpoint that matches nothing is an error, since it was made for another network.
    static func startFrom(_ folder: URL, network: ModelGraph) throws {
        let (loaded, fresh) = network.loadMatching(try InitialWeights.load(folder))
        guard fresh.isEmpty else {
            throw TrainingError("init_from: \(loaded.count) of \(loaded.count + fresh.count) of this network's tensors match the checkpoint in \(folder.path) by name and shape (not \(fresh.prefix(3).joined(separator: ", "))\(fresh.count > 3 ? ", …" : "")); it was trained with another model graph or width, and a network loaded in part is no start")
        }
    }

    /// The checkpoints a training stage publishes: `model.safetensors` (the best), `last.safetensors`
    /// and, with `average_last`, `averaged.safetensors`.
    enum TrainedCheckpoint: String, CaseIterable, Sendable {
        case best, last, averaged
        var fileName: String { self == .best ? "model.safetensors" : "\(rawValue).safetensors" }
    }

    /// Copies the last and averaged checkpoints a training loop left (the best is copied by the stage).
    static func copyCheckpoints(from partial: URL, to output: URL) throws {
        try copy(partial.appendingPathComponent(TrainedCheckpoint.last.fileName), to: output.appendingPathComponent(TrainedCheckpoint.last.fileName))
        let averaged = partial.appendingPathComponent(TrainedCheckpoint.averaged.fileName)
        if FileManager.default.fileExists(atPath: averaged.path) { try copy(averaged, to: output.appendingPathComponent(TrainedCheckpoint.averaged.fileName)) }
    }

    /// Copies a file a training loop left in its partial folder into the stage's output.
    static func copy(_ source: URL, to destination: URL) throws {
        guard FileManager.default.fileExists(atPath: source.path) else { throw TrainingError("expected \(source.lastPathComponent) after training; the stage wrote none") }
        if FileManager.default.fileExists(atPath: destination.path) { try FileManager.default.removeItem(at: destination) }
        try FileManager.default.copyItem(at: source, to: destination)
    }

    /// The front end a `features:` section names.
    static func featureSettings(_ features: FeaturesSpec) -> FeatureSettings {
        let decision = voiceDecision(features.vad, aggressiveness: features.aggressiveness)
        let cutPad: CutPad = switch features.cut { case .seed: .seed(seconds: features.seconds) }
        // The schema allows only names these readers know (a test checks every one).
        return FeatureSettings(sampleRate: features.rate, voiceDecision: decision, cutPad: cutPad,
                               kind: FeatureKind(name: features.kind, coefficients: features.coefficients)!, bands: features.bands,
                               scale: SampleScale(rawValue: features.scale)!, normalization: FeatureNormalization(rawValue: features.normalization)!)
    }

    /// The voice decision a `features.vad` names.
    static func voiceDecision(_ vad: FeaturesSpec.VoiceDetection, aggressiveness: Int) -> VoiceDecision? {
        switch vad {
        case .energy: .energy()
        case .adaptive: .adaptive(aggressiveness: aggressiveness)
        case .none: nil
        }
    }

    /// The optimizer an `optimizer:` section names: the one place a spec's optimizer becomes the
    /// training loop's.
    static func optimizerSettings(_ optimizer: OptimizerSpec) -> OptimizerSettings {
        switch optimizer {
        case let .sgd(options):
            return OptimizerSettings(kind: .sgd, learningRate: options.lr, momentum: options.momentum, nesterov: options.nesterov, weightDecay: options.weightDecay)
        case let .adam(options): return adam(.adam, options)
        case let .adamw(options): return adam(.adamw, options)
        }
        func adam(_ kind: OptimizerSettings.Kind, _ options: OptimizerSpec.AdamOptions) -> OptimizerSettings {
            OptimizerSettings(kind: kind, learningRate: options.lr, momentum: 0, beta1: options.beta1, beta2: options.beta2,
                              epsilon: options.epsilon, weightDecay: options.weightDecay)
        }
    }
}

/// The network a stage builds: the spec's `model:` section and the graph file's text, both in
/// the key, so editing the graph file renews every network stage.
struct ModelParameters: Codable, Hashable, Sendable {
    let section: ModelSpec
    let graphText: String

    /// Builds the network for inputs of `frames` × `bands`, initialised from `seed`; `file` names
    /// the graph in errors.
    func build(frames: Int, bands: Int, seed: Int, file: String? = nil) throws -> ModelGraph {
        try ModelGraph(yaml: graphText, file: file ?? section.graph, input: [frames, bands, 1], width: section.width, depths: section.blocks,
                       seed: UInt64(seed), batchNormMomentum: section.batchnormMomentum)
    }

    /// A fresh network with the latest trained weights among `inputs` (fine-tuned, else pretrained).
    func trained(frames: Int, bands: Int, seed: Int, _ context: StageContext, from inputs: [String]) throws -> ModelGraph {
        let network = try build(frames: frames, bands: bands, seed: seed)
        if let folder = inputs.lazy.compactMap({ context.inputs[$0] }).first {
            let file = folder.appendingPathComponent("model.safetensors")
            try network.load(try Checkpoint.decode(Data(contentsOf: file), path: file.path).tensors)
        }
        return network
    }
}

/// What the numerics add to a network stage's parameters: nothing in reproducible mode (the
/// result is the same everywhere); in fast mode the mode and this machine's BLAS kernel family,
/// so a fast result is only reused by a machine that makes the same one.
struct NumericsParameters: Codable, Hashable, Sendable {
    let mode: String
    let blasKernel: String

    /// Nil in reproducible mode.
    static func of(_ execution: ExecutionSpec) -> NumericsParameters? {
        guard execution.numerics == .fast else { return nil }
        return NumericsParameters(mode: "fast", blasKernel: Numerics.kernelName(for: .fast))
    }
}

/// The training speakers a `calibrate:` section holds out of training: `count` of them, drawn
/// by the spec's seed from the sorted training speakers. Pretraining, fine-tuning and the
/// calibrate stage draw the same ones.
struct CalibrationHoldout: Codable, Hashable, Sendable {
    let count: Int
    let seed: Int

    /// The held-out speakers among these training speakers (repeats ignored).
    func speakers(of trainingSpeakers: [String]) throws -> Set<String> {
        var speakers = Set(trainingSpeakers).sorted()
        guard speakers.count >= count + 2 else {
            throw TrainingError("calibrate.speakers holds out \(count) of \(speakers.count) training speakers, which leaves fewer than two to train on; hold out fewer")
        }
        var generator = SeededGenerator(seed: UInt64(seed)).split("calibration speakers")
        speakers.shuffle(using: &generator)
        return Set(speakers.prefix(count))
    }

    /// The hold-out a spec asks for, or nil.
    static func of(_ spec: ExperimentSpec) -> CalibrationHoldout? {
        spec.calibrate.map { CalibrationHoldout(count: $0.speakers, seed: spec.seed) }
    }
}
