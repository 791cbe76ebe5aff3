import Foundation
import Pipeline
import Reports
import Spec
import Training

/// `report.md`, written when an experiment is published: the spec in brief, the metrics, the
/// plots, how long each stage took (from the cache entries' records) and the environment.
struct ExperimentReport {
    let plan: ExperimentPlan
    let store: ArtifactStore
    let environment: EnvironmentRecord
    /// The published folder (plots are linked relative to it).
    let folder: URL

    var markdown: String {
        let spec = plan.spec.canonical
        let title = spec["report"]?["title"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? plan.name
        var text = "# \(title)\n\n## Spec in brief\n\n" + summary.markdown
        if let metrics = (try? String(contentsOf: folder.appendingPathComponent("metrics.csv"), encoding: .utf8)).flatMap({ try? CSV.parse($0) }) {
            text += "\n## Metrics\n\n" + Self.metricsTable(metrics).markdown + bootstrapNote
        }
        if !selections.isEmpty {
            text += "\n## Checkpoint selection\n\n" + selections.map { "- " + $0.sentence + "\n" }.joined()
            if selections.contains(where: \.onTestSpeakers) { text += "\n" + PublishedRun.testSelectionNote + ".\n" }
        }
        if let skipped = (try? String(contentsOf: folder.appendingPathComponent(PrepareStage.skippedFile), encoding: .utf8)).flatMap({ try? CSV.parse($0) }) {
            text += "\n## Files left out\n\n\(skipped.rows.count) file(s) of the corpus could not be used and were left out (`dataset.on_bad_file: skip`):\n\n" + skipped.markdown
        }
        let warnings = [batchNormWarning, calibrationWarning].compactMap { $0 }
        if !warnings.isEmpty {
            text += "\n## Warnings\n\n" + warnings.joined(separator: "\n\n") + "\n"
        }
        text += "\n## Plots\n\n" + plots
        text += "\n## Stage times\n\n" + stageTimes.markdown
        text += "\n## Environment\n\n" + environmentTable.markdown
        text += "\n## Resolved spec\n\n```json\n\(spec.canonicalText)\n```\n"
        return text
    }

    /// Which checkpoint each training stage kept, on what data, and by how much it beat its start.
    var selections: [CheckpointSelection] { Self.selections(spec: plan.spec, folder: folder) }

    /// The selections of the run published in `folder` from spec `spec` (its `history.csv`).
    static func selections(spec: ExperimentSpec, folder: URL) -> [CheckpointSelection] {
        guard let history = (try? String(contentsOf: folder.appendingPathComponent("history.csv"), encoding: .utf8)).flatMap({ try? CSV.parse($0) }) else { return [] }
        return [
            spec.pretrain.flatMap { CheckpointSelection.pretraining(select: $0.select, validationSpeakers: $0.validationSpeakers,
                                                                    validationFraction: spec.dataset.validationFraction, history: history) },
            spec.finetune.flatMap { CheckpointSelection.finetuning(select: $0.select, validation: ValidationSpeakers.finetuning(spec), history: history) },
        ].compactMap { $0 }
    }

    /// Why the published calibration cannot be trusted (`verify` refuses it), or nil.
    var calibrationWarning: String? {
        let file = folder.appendingPathComponent(CalibrationRecord.fileName)
        guard let record = try? CalibrationRecord.read(file) else { return nil }
        let problems = record.problems(at: record.operatingPoint)
        guard !problems.isEmpty else { return nil }
        return "The calibration cannot be trusted: " + problems.joined(separator: "; ") + ". `speakerlab verify` refuses to decide with it; hold out more speakers (calibrate.speakers)."
    }

    /// The batch-norm convergence warning pretraining's history gives (`BatchNormConvergence`), or nil.
    var batchNormWarning: String? {
        guard plan.spec.pretrain != nil, let history = (try? String(contentsOf: folder.appendingPathComponent("history.csv"), encoding: .utf8)).flatMap({ try? CSV.parse($0) }),
              let stage = history.header.firstIndex(of: "stage"), let epoch = history.header.firstIndex(of: "epoch"), let step = history.header.firstIndex(of: "step"),
              let accuracy = history.header.firstIndex(of: "accuracy"), let validation = history.header.firstIndex(of: "val_accuracy") else { return nil }
        let rows = history.rows.filter { $0[stage] == "pretrain" }.compactMap { row -> (epoch: Int, step: Int, accuracy: Double, validationAccuracy: Double)? in
            guard let e = Int(row[epoch]), let s = Int(row[step]), let a = Double(row[accuracy]), let v = Double(row[validation]) else { return nil }
            return (e, s, a, v)
        }
        // The momentum every batch norm of the network uses: the spec's override, else the graph's largest.
        let momentum = plan.spec.model.batchnormMomentum.map(Float.init) ?? (try? String(contentsOfFile: plan.modelFile, encoding: .utf8)).flatMap { text in
            try? ModelParameters(section: plan.spec.model, graphText: text).build(frames: ModelBudget.featureShape(plan.spec.features).frames,
                                                                                  bands: ModelBudget.featureShape(plan.spec.features).bands, seed: 0)
        }?.batchNorms.map(\.momentum).max()
        return momentum.flatMap { BatchNormConvergence.firstWarning(epochs: rows, momentum: $0) }
    }

    /// One row per metric: its value and, when metrics.csv has its `_lo`/`_hi` bounds, the interval.
    static func metricsTable(_ metrics: Table) -> Table {
        let row = metrics.rows.first ?? []
        let values = Dictionary(zip(metrics.header, row), uniquingKeysWith: { first, _ in first })
        let names = Set(metrics.header)
        var table = Table(header: ["metric", "value", "95 % confidence interval"])
        for name in metrics.header where !ResultsTable.isBound(name, among: names) {
            let interval = values[name + "_lo"].flatMap { lower in values[name + "_hi"].map { "[\(lower), \($0)]" } } ?? "–"
            table.append([MetricHeading.heading(name), values[name] ?? "–", interval])
        }
        return table
    }

    /// How the intervals were made (the evaluate stage's `bootstrap.json`).
    var bootstrapNote: String {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("bootstrap.json")),
              let record = try? JSONDecoder().decode(CanonicalValue.self, from: data) else { return "" }
        let replicates = record["replicates"]?.int.map(String.init) ?? "?", seed = record["seed"]?.int.map(String.init) ?? "?"
        let speakers = record["speakers"]?.int.map(String.init) ?? "?"
        return "\nIntervals: \(record["method"]?.string ?? "bootstrap"), \(replicates) resamples of the \(speakers) test speakers, seed \(seed) (the spec's).\n"
    }

    /// The spec's main choices, one line per stage.
    var summary: Table {
        let spec = plan.spec.canonical
        func value(_ path: String) -> String {
            var node: CanonicalValue? = spec
            for part in path.split(separator: ".") { node = node?[String(part)] }
            guard let node else { return "–" }
            switch node {
            case let .string(text): return text.isEmpty ? "–" : text
            case let .list(items): return items.map { if case let .string(text) = $0 { return text }; return $0.canonicalText }.joined(separator: ", ")
            default: return node.canonicalText
            }
        }
        var table = Table(header: ["part", "settings"])
        let corpusSeed = spec["dataset"]?["seed"]?.int ?? 0
        table.append(["dataset", "\(value("dataset.kind")) \(value("dataset.root") == "–" ? "" : value("dataset.root") + " ")(seed \(value("seed"))\(value("dataset.kind") == "synthetic" && corpusSeed != 0 ? ", corpus seed \(corpusSeed)" : ""))"])
        table.append(["features", "\(value("features.kind")), \(value("features.bands")) bands, VAD \(value("features.vad")), cut \(value("features.cut")) \(value("features.seconds")) s, \(value("features.normalization")) normalisation"])
        table.append(["model", "\(value("model.graph")), width \(value("model.width"))"])
        // Where a training stage started, and what it held fixed.
        func start(_ stage: String, unit: String) -> String {
            (spec[stage]?["init_from"] == nil ? "" : ", from \(value(stage + ".init_from"))")
                + (spec[stage]?["freeze"] == nil ? "" : ", \(value(stage + ".freeze")) frozen " + (spec[stage]?["freeze_for"] == nil ? "throughout" : "for \(value(stage + ".freeze_for")) \(unit)"))
        }
        if spec["pretrain"] != nil {
            table.append(["pretrain", "\(value("pretrain.loss")), \(value("pretrain.optimizer.kind")) lr \(value("pretrain.optimizer.lr")), batch \(value("pretrain.batch")), \(value("pretrain.epochs")) epochs" + start("pretrain", unit: "epochs")])
        }
        if spec["finetune"] != nil {
            table.append(["finetune", "triplet (\(value("finetune.mining")) mining, margin \(value("finetune.margin")), \(value("finetune.reduction"))), \(value("finetune.optimizer.kind")) lr \(value("finetune.optimizer.lr")), \(value("finetune.steps")) steps" + start("finetune", unit: "steps")])
        }
        if spec["calibrate"] != nil {
            table.append(["calibrate", "linear logistic on \(value("calibrate.speakers")) held-out training speakers (enrolment \(value("calibrate.enrolment"))), verify at \(value("calibrate.operating_point"))"])
        }
        table.append(["evaluate", "\(value("evaluate.tasks")), protocol \(value("evaluate.protocol")), enrolment \(value("evaluate.enrolment"))"])
        return table
    }

    /// Links to every SVG under `plots/`, with the curves shown inline.
    var plots: String {
        let plotsFolder = folder.appendingPathComponent("plots")
        var files: [String] = []
        if let walker = FileManager.default.enumerator(at: plotsFolder, includingPropertiesForKeys: nil) {
            for case let file as URL in walker where file.pathExtension == "svg" { files.append(String(file.path.dropFirst(folder.path.count + 1))) }
        }
        guard !files.isEmpty else { return "(none)\n" }
        return files.sorted().map { file in
            let name = (file as NSString).lastPathComponent.replacingOccurrences(of: ".svg", with: "")
            return "![\(name)](\(file))"
        }.joined(separator: "\n") + "\n"
    }

    /// Each stage's key and how long it took when it was computed.
    var stageTimes: Table {
        var table = Table(header: ["stage", "key", "seconds", "finished (UTC)"])
        var total = 0.0
        for stage in plan.graph.stages {
            let key = plan.graph.keys[stage.id]!
            let record = StageRecord.read(entry: store.entry(key))
            total += record?.seconds ?? 0
            table.append([stage.id, key.short, record.map { String(format: "%.1f", $0.seconds) } ?? "–", record?.finished ?? "–"])
        }
        table.append(["total", "", String(format: "%.1f", total), ""])
        return table
    }

    var environmentTable: Table {
        Table(header: ["item", "value"], rows: [
            ["SpeakerLab", environment.speakerlabVersion], ["project commit", environment.source?.text ?? "–"],
            ["command", environment.command.map { "`" + $0.replacingOccurrences(of: "|", with: "\\|") + "`" } ?? "–"], ["Swift", environment.swift], ["operating system", environment.operatingSystem],
            ["cores", String(environment.cores)],
        ] + (environment.numerics?.rows ?? [["threads", String(environment.threads)]]))
    }
}
