import Audio
import Datasets
import Foundation
import Metrics
import Models
import NN
import Pipeline
import Randomness
import Reports
import Tensor
import Training

/// The bodies of the experiment stages: each reads its inputs' folders and writes its output folder.
enum ExperimentStages {
    // MARK: prepare

    /// Reads (or, for the synthetic corpus, writes) the corpus and records its manifest.
    static func prepare(_ spec: CanonicalValue, _ context: StageContext) throws {
        let dataset = spec["dataset"]!
        let kind = dataset["kind"]?.string ?? "synthetic"
        var utterances: [Utterance]
        switch kind {
        case "synthetic":
            let corpus = SyntheticCorpus(speakers: dataset["speakers"]!.int!, utterancesPerSpeaker: dataset["utterances"]!.int!,
                                         testFraction: dataset["test_fraction"]!.double!,
                                         seed: UInt64(dataset["seed"]!.int! > 0 ? dataset["seed"]!.int! : spec["seed"]!.int!))
            utterances = try corpus.write(to: context.output.appendingPathComponent("corpus").path)
        case "timit":
            utterances = try TIMITCorpus.read(root: try root(dataset))
        default:
            utterances = try SpeakerFolderCorpus.read(root: try root(dataset))
            let speakers = Set(utterances.map(\.speaker)).sorted()
            let held = Set(speakers.suffix(Int((Double(speakers.count) * dataset["test_fraction"]!.double!).rounded())))
            utterances = utterances.map { var u = $0; u.split = held.contains(u.speaker) ? "test" : "train"; return u }
        }
        // Paths inside the entry are stored relative to it, so the entry can move into the cache.
        let prefix = context.output.path + "/"
        let csv = try Manifest(utterances: utterances).csv.replacingOccurrences(of: "," + prefix, with: ",")
        try csv.write(to: context.output.appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)
    }

    static func root(_ dataset: CanonicalValue) throws -> String {
        guard let root = dataset["root"]?.string, !root.isEmpty else {
            throw DatasetError("dataset.root is empty; pass the corpus folder, e.g. --set dataset.root=/data/TIMIT")
        }
        return root
    }

    // MARK: features

    static func featureSettings(_ spec: CanonicalValue) -> FeatureSettings {
        let f = spec["features"]!
        let decision: VoiceDecision? = switch f["vad"]!.string! {
        case "energy": .energy()
        case "adaptive": .adaptive(aggressiveness: f["aggressiveness"]!.int!)
        default: nil
        }
        return FeatureSettings(sampleRate: f["rate"]!.int!, voiceDecision: decision,
                               cutPad: f["cut"]!.string! == "seed" ? .seed(seconds: f["seconds"]!.double!) : .none,
                               kind: FeatureKind(name: f["kind"]!.string!)!, bands: f["bands"]!.int!,
                               scale: SampleScale(rawValue: f["scale"]!.string!)!, normalization: FeatureNormalization(rawValue: f["normalization"]!.string!)!)
    }

    /// Extracts every utterance's features into `features.npy` [N, frames, bands] and `utterances.csv`.
    static func features(_ spec: CanonicalValue, _ context: StageContext) throws {
        let prepared = context.inputs["prepare"]!
        let manifest = try Manifest.parse(try String(contentsOf: prepared.appendingPathComponent("manifest.csv"), encoding: .utf8), file: "manifest.csv")
        let utterances = manifest.utterances.map { u -> Utterance in
            var copy = u
            if !u.path.hasPrefix("/") { copy.path = prepared.appendingPathComponent(u.path).path }
            return copy
        }
        let settings = featureSettings(spec)
        guard settings.cutPad != .none else {
            throw TrainingError("training and scoring need one length per utterance; set features.cut: seed (and features.seconds)")
        }
        let results = ParallelFeatureExtraction.run(paths: utterances.map(\.path), settings: settings, threads: Parallel.threads)
        let failures = results.compactMap { if case let .failure(error) = $0 { return "\(error)" } else { return nil } }
        guard failures.isEmpty else { throw DatasetError("\(failures.count) file(s) failed:\n" + failures.joined(separator: "\n")) }
        let matrices = results.map { try! $0.get() }
        try NumpyArrayFile.encode(matrices.flatMap(\.values), shape: [matrices.count, matrices[0].frames, matrices[0].bands])
            .write(to: context.output.appendingPathComponent("features.npy"))
        let rows = ["id,speaker,split"] + utterances.map { "\($0.id),\($0.speaker),\($0.split)" }
        try (rows.joined(separator: "\n") + "\n").write(to: context.output.appendingPathComponent("utterances.csv"), atomically: true, encoding: .utf8)
    }

    /// The features of one split with labels over that split's sorted speakers.
    static func load(_ folder: URL, split: String) throws -> TrainingData {
        let (shape, values) = try NumpyArrayFile.decode(Data(contentsOf: folder.appendingPathComponent("features.npy")))
        let rows = try String(contentsOf: folder.appendingPathComponent("utterances.csv"), encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let chosen = rows.indices.filter { rows[$0][2] == split || split.isEmpty }
        guard !chosen.isEmpty else { throw DatasetError("the corpus has no '\(split)' utterances") }
        let speakers = Set(chosen.map { rows[$0][1] }).sorted()
        let size = shape[1] * shape[2]
        return try TrainingData(features: chosen.map { FeatureMatrix(frames: shape[1], bands: shape[2], values: Array(values[($0 * size)..<(($0 + 1) * size)])) },
                                labels: chosen.map { speakers.firstIndex(of: rows[$0][1])! }, ids: chosen.map { rows[$0][0] })
    }

    // MARK: training

    static func model(_ spec: CanonicalValue, modelFile: String, frames: Int, bands: Int) throws -> ModelGraph {
        let section = spec["model"]!
        return try ModelGraph(file: modelFile, input: [frames, bands, 1], width: section["width"]?.double ?? 1,
                              depths: section["blocks"].flatMap { value in value.list?.compactMap(\.int) ?? value.int.map { [$0] } },
                              seed: UInt64(spec["seed"]!.int!), batchNormMomentum: section["batchnorm_momentum"]?.double)
    }

    static func optimizer(_ section: CanonicalValue) -> OptimizerSettings {
        OptimizerSettings(kind: section["kind"]!.string!, learningRate: section["lr"]!.double!, momentum: section["momentum"]!.double!,
                          nesterov: section["nesterov"]!.bool!, weightDecay: section["weight_decay"]!.double!)
    }

    static func pretrain(_ spec: CanonicalValue, modelFile: String, _ context: StageContext) throws {
        let all = try load(context.inputs["features"]!, split: "train")
        var generator = SeededGenerator(seed: UInt64(spec["seed"]!.int!)).split("split")
        let utterances = zip(all.ids, all.labels).map { Utterance(id: $0, speaker: String($1), path: $0) }
        let (trainList, validationList) = SeedProtocols.pretrainingSplit(utterances, validationFraction: spec["dataset"]!["validation_fraction"]!.double!, using: &generator)
        let index = Dictionary(uniqueKeysWithValues: all.ids.enumerated().map { ($1, $0) })
        func subset(_ list: [Utterance]) throws -> TrainingData {
            try TrainingData(features: list.map { all.features[index[$0.id]!] }, labels: list.map { all.labels[index[$0.id]!] }, ids: list.map(\.id))
        }
        let section = spec["pretrain"]!
        var settings = SoftmaxPretraining.Settings()
        settings.optimizer = optimizer(section["optimizer"]!)
        settings.batchSize = section["batch"]!.int!
        settings.epochs = section["epochs"]!.int!
        settings.plateauFactor = section["plateau_factor"]!.double!
        settings.plateauPatience = section["plateau_patience"]!.int!
        settings.earlyStoppingPatience = section["early_stopping"]!.int!
        settings.labelSmoothing = section["label_smoothing"]!.double!
        settings.weightDecay = section["l2"]!.double!
        settings.loss = section["loss"]!.string!
        settings.seed = UInt64(spec["seed"]!.int!)
        let network = try model(spec, modelFile: modelFile, frames: all.frames, bands: all.bands)
        var headGenerator = SeededGenerator(seed: settings.seed).split("head")
        let classes = Set(all.labels).count
        let head = Dense(name: "softmax", inputs: network.embeddingSize, outputs: classes, using: &headGenerator)
        try SoftmaxPretraining(settings: settings, folder: context.partial.path)
            .run(model: network, classifier: head, train: try subset(trainList), validation: validationList.isEmpty ? nil : try subset(validationList))
        try copy(context.partial.appendingPathComponent("best.safetensors"), to: context.output.appendingPathComponent("model.safetensors"))
        try copy(context.partial.appendingPathComponent("history.csv"), to: context.output.appendingPathComponent("history.csv"))
    }

    static func trials(_ spec: CanonicalValue, _ data: TrainingData) throws -> TrialList {
        var generator = SeededGenerator(seed: UInt64(spec["seed"]!.int!)).split("trials")
        let utterances = zip(data.ids, data.labels).map { Utterance(id: $0, speaker: String($1), path: $0) }
        return try TrialList.speakerModels(utterances, enrolmentCount: spec["evaluate"]!["enrolment"]!.int!, using: &generator)
    }

    /// Loads the latest trained weights among the inputs (fine-tuned, else pretrained) into a fresh model.
    static func trainedModel(_ spec: CanonicalValue, modelFile: String, data: TrainingData, _ context: StageContext, from inputs: [String]) throws -> ModelGraph {
        let network = try model(spec, modelFile: modelFile, frames: data.frames, bands: data.bands)
        if let source = inputs.first(where: { context.inputs[$0] != nil }) {
            let file = context.inputs[source]!.appendingPathComponent("model.safetensors")
            try network.load(try Checkpoint.decode(Data(contentsOf: file), path: file.path).tensors)
        }
        return network
    }

    static func finetune(_ spec: CanonicalValue, modelFile: String, _ context: StageContext) throws {
        let train = try load(context.inputs["features"]!, split: "train")
        let evaluation = try load(context.inputs["features"]!, split: "test")
        let network = try trainedModel(spec, modelFile: modelFile, data: train, context, from: ["pretrain"])
        let section = spec["finetune"]!
        var settings = TripletFinetuning.Settings()
        settings.optimizer = optimizer(section["optimizer"]!)
        settings.triplets = section["triplets"]!.int!
        settings.margin = section["margin"]!.double!
        settings.reduction = Reduction(rawValue: section["reduction"]!.string!)!
        settings.mining = section["mining"]!.string!
        settings.steps = section["steps"]!.int!
        settings.evaluateEvery = section["evaluate_every"]!.int!
        settings.seed = UInt64(spec["seed"]!.int!)
        try TripletFinetuning(settings: settings, folder: context.partial.path)
            .run(model: network, train: train, evaluation: evaluation, trials: try trials(spec, evaluation))
        try copy(context.partial.appendingPathComponent("best.safetensors"), to: context.output.appendingPathComponent("model.safetensors"))
        try copy(context.partial.appendingPathComponent("history.csv"), to: context.output.appendingPathComponent("history.csv"))
    }

    // MARK: evaluation and report

    static func evaluate(_ spec: CanonicalValue, modelFile: String, _ context: StageContext) throws {
        let evaluation = try load(context.inputs["features"]!, split: "test")
        let network = try trainedModel(spec, modelFile: modelFile, data: evaluation, context, from: ["finetune", "pretrain"])
        let embeddings = Dictionary(uniqueKeysWithValues: zip(evaluation.ids, Embedding.embed(model: network, data: evaluation)))
        var header: [String] = [], values: [String] = []
        let tasks = spec["evaluate"]!["tasks"]!.list!.compactMap(\.string)
        // One speaker bootstrap, seeded by the spec's seed, behind every interval of this evaluation.
        let speakers = Set(evaluation.labels).sorted()
        let speakerIndex = Dictionary(uniqueKeysWithValues: speakers.enumerated().map { ($1, $0) })
        var generator = SeededGenerator(seed: UInt64(spec["seed"]!.int!)).split("bootstrap")
        let bootstrap = SpeakerBootstrap(speakerCount: speakers.count, replicates: spec["evaluate"]!["bootstrap"]!.int!, using: &generator)
        func append(_ name: String, _ interval: ConfidenceInterval) {
            header += [name, name + "_lo", name + "_hi"]
            values += [interval.estimate, interval.lower, interval.upper].map(ScoreFileMetrics.format)
        }
        if tasks.contains("sv") {
            let trials = try VerificationTrials(spec: spec, evaluation: evaluation, embeddings: embeddings)
            let metrics = try spec["evaluate"]!["metrics"]!.list!.compactMap(\.string).map(VerificationMetric.named)
            let intervals = try bootstrap.intervals(metrics, on: trials.labelled, threads: Parallel.threads)
            for metric in metrics { append(metric.rawValue, intervals[metric]!) }
            try trials.csv.write(to: context.output.appendingPathComponent("scores.csv"), atomically: true, encoding: .utf8)
        }
        if tasks.contains("si") {
            // The seed's SI protocol: each speaker's utterances sorted by name, half enrol, half test.
            let utterances = zip(evaluation.ids, evaluation.labels).map { Utterance(id: $0, speaker: String(format: "%05d", $1), path: $0) }
            let split = SeedProtocols.perSpeakerSplit(utterances, ratio: 0.5)
            let enrolled = Set(split.enrolment.map(\.speaker)).sorted()
            let models = enrolled.map { speaker in Scoring.mean(split.enrolment.filter { $0.speaker == speaker }.map { embeddings[$0.id]! }) }
            var scores: [Float] = []
            for test in split.test { scores += models.map { Scoring.cosine(embeddings[test.id]!, $0) } }
            let truth = split.test.map { enrolled.firstIndex(of: $0.speaker)! }
            let testSpeakers = split.test.map { speakerIndex[Int($0.speaker)!]! }
            var hitsByK: [[Bool]] = []
            for k in [1, 5] {
                let hits = identificationHits(scores: scores, speakerCount: enrolled.count, truth: truth, topK: k)
                append("si_top\(k)", bootstrap.identificationInterval(hits: hits, speakers: testSpeakers))
                hitsByK.append(hits)
            }
            // Per test utterance, so `compare` can pair two runs' identification too.
            var lines = ["test,test_speaker,top1,top5"]
            for (index, test) in split.test.enumerated() {
                lines.append("\(CSV.escape(test.id)),\(testSpeakers[index]),\(hitsByK[0][index] ? 1 : 0),\(hitsByK[1][index] ? 1 : 0)")
            }
            try (lines.joined(separator: "\n") + "\n").write(to: context.output.appendingPathComponent("identification.csv"), atomically: true, encoding: .utf8)
        }
        try Table(header: header, rows: [values]).csv.write(to: context.output.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
        // How the intervals were made, for the report.
        let method = CanonicalValue.object(["method": .string(SpeakerBootstrap.method), "replicates": .integer(bootstrap.replicates),
                                            "confidence": .number(bootstrap.confidence), "seed": .integer(spec["seed"]!.int!),
                                            "speakers": .integer(speakers.count)])
        try (method.canonicalText + "\n").write(to: context.output.appendingPathComponent("bootstrap.json"), atomically: true, encoding: .utf8)
    }

    static func report(_ spec: CanonicalValue, _ context: StageContext) throws {
        let evaluated = context.inputs["evaluate"]!
        try copy(evaluated.appendingPathComponent("metrics.csv"), to: context.output.appendingPathComponent("metrics.csv"))
        // The trials and identification results behind the metrics, for `compare`'s paired bootstrap.
        for name in ["scores.csv", "identification.csv", "bootstrap.json"] where FileManager.default.fileExists(atPath: evaluated.appendingPathComponent(name).path) {
            try copy(evaluated.appendingPathComponent(name), to: context.output.appendingPathComponent(name))
        }
        var history = [HistoryRow.header]
        for stage in ["pretrain", "finetune"] {
            guard let folder = context.inputs[stage], let text = try? String(contentsOf: folder.appendingPathComponent("history.csv"), encoding: .utf8) else { continue }
            history += text.split(separator: "\n").dropFirst().map(String.init)
        }
        try (history.joined(separator: "\n") + "\n").write(to: context.output.appendingPathComponent("history.csv"), atomically: true, encoding: .utf8)
        let plots = context.output.appendingPathComponent("plots")
        try FileManager.default.createDirectory(at: plots, withIntermediateDirectories: true)
        if let scores = try? ScoreFileMetrics.readTrials(evaluated.appendingPathComponent("scores.csv").path) {
            let curves = DetectionCurves(OperatingPoints(scores))
            let metrics = try CSV.parse(try String(contentsOf: evaluated.appendingPathComponent("metrics.csv"), encoding: .utf8))
            func value(_ name: String) -> Double? {
                guard let column = metrics.header.firstIndex(of: name), let row = metrics.rows.first else { return nil }
                return Double(row[column])
            }
            var eer: ConfidenceInterval? = nil
            if let estimate = value("eer"), let lower = value("eer_lo"), let upper = value("eer_hi") {
                eer = ConfidenceInterval(estimate: estimate, lower: lower, upper: upper)
            }
            try DetectionPlots.roc(curves).write(to: plots.appendingPathComponent("roc.svg"), atomically: true, encoding: .utf8)
            try DetectionPlots.det(curves, equalErrorRate: eer).write(to: plots.appendingPathComponent("det.svg"), atomically: true, encoding: .utf8)
            try curves.csv.write(to: plots.appendingPathComponent("roc.csv"), atomically: true, encoding: .utf8)
        }
        // Training curves (the seed's dpk_acc_loss.png) from the merged history.
        for figure in TrainingCurves.figures(try CSV.parse(history.joined(separator: "\n") + "\n")) {
            try figure.svg.write(to: plots.appendingPathComponent(figure.file), atomically: true, encoding: .utf8)
        }
        // The front end on one held-out utterance: waveform before and after VAD, after cut/pad, features.
        if let prepared = context.inputs["prepare"] {
            let manifest = try Manifest.parse(try String(contentsOf: prepared.appendingPathComponent("manifest.csv"), encoding: .utf8), file: "manifest.csv")
            let candidates = manifest.utterances.filter { $0.split == "test" }
            if let sample = (candidates.isEmpty ? manifest.utterances : candidates).min(by: { $0.id < $1.id }) {
                let path = sample.path.hasPrefix("/") ? sample.path : prepared.appendingPathComponent(sample.path).path
                let folder = plots.appendingPathComponent("sample")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let numbers = try AudioInspection.run(path: path, settings: featureSettings(spec), folder: folder.path)
                // The numbers without the machine-specific paths.
                let lines = numbers.split(separator: "\n").prefix { !$0.hasPrefix("wrote") }.filter { !$0.hasPrefix("file ") }
                try (["utterance       " + sample.id] + lines.map(String.init)).joined(separator: "\n").appending("\n")
                    .write(to: folder.appendingPathComponent("sample.txt"), atomically: true, encoding: .utf8)
            }
        }
    }

    static func copy(_ source: URL, to destination: URL) throws {
        guard FileManager.default.fileExists(atPath: source.path) else { throw TrainingError("expected \(source.path) after training; the stage wrote none") }
        if FileManager.default.fileExists(atPath: destination.path) { try FileManager.default.removeItem(at: destination) }
        try FileManager.default.copyItem(at: source, to: destination)
    }
}
