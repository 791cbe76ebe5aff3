import Audio
import Datasets
import Foundation
import Metrics
import Pipeline
import Reports
import Spec
import Training

/// What people read, made from the evaluation and training artifacts: the metrics and the files
/// behind them, the merged training history, ROC/DET and training-curve plots, and the front end
/// on one held-out utterance (drawn with the spec's features settings, its only parameters).
enum ReportStage: StageDefinition {
    struct Parameters: Codable, Hashable, Sendable {
        let features: FeaturesSpec
    }

    static let kind = "report"
    static let codeVersion = 5

    static func run(_ parameters: Parameters, _ context: StageContext) throws {
        let evaluated = context.inputs["evaluate"]!
        try StageArtifacts.copy(evaluated.appendingPathComponent("metrics.csv"), to: context.output.appendingPathComponent("metrics.csv"))
        // The trials and identification results behind the metrics, for `compare`'s paired bootstrap.
        for name in ["scores.csv", "identification.csv", "bootstrap.json", EmbeddingFiles.arrayFile, EmbeddingFiles.idsFile] where FileManager.default.fileExists(atPath: evaluated.appendingPathComponent(name).path) {
            try StageArtifacts.copy(evaluated.appendingPathComponent(name), to: context.output.appendingPathComponent(name))
        }
        // The calibration `verify` decides with.
        if let calibrated = context.inputs["calibrate"] {
            try StageArtifacts.copy(calibrated.appendingPathComponent(CalibrationRecord.fileName), to: context.output.appendingPathComponent(CalibrationRecord.fileName))
        }
        // The files prepare left out under on_bad_file: skip, for report.md.
        if let prepared = context.inputs["prepare"], FileManager.default.fileExists(atPath: prepared.appendingPathComponent(PrepareStage.skippedFile).path) {
            try StageArtifacts.copy(prepared.appendingPathComponent(PrepareStage.skippedFile), to: context.output.appendingPathComponent(PrepareStage.skippedFile))
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
                let numbers = try AudioInspection.run(path: path, settings: StageArtifacts.featureSettings(parameters.features), folder: folder.path)
                // The numbers without the machine-specific paths.
                let lines = numbers.split(separator: "\n").prefix { !$0.hasPrefix("wrote") }.filter { !$0.hasPrefix("file ") }
                try (["utterance       " + sample.id] + lines.map(String.init)).joined(separator: "\n").appending("\n")
                    .write(to: folder.appendingPathComponent("sample.txt"), atomically: true, encoding: .utf8)
            }
        }
    }

}
