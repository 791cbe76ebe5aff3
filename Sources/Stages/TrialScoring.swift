import Foundation
import Metrics
import Pipeline
import Randomness
import Reports
import Tensor
import Training

/// `speakerlab score`: a trial list scored with a trained run. Writes `scores.csv` (the evaluate
/// stage's columns, so `metrics` and `compare` read it) and, when every trial is labelled,
/// `metrics.csv` with 95 % speaker-bootstrap intervals made exactly as the run's evaluate stage
/// makes them (its metrics, replicates and seed), and `roc.csv`, `roc.svg`, `det.svg`.
public enum TrialScoring {
    /// What scoring produced.
    public struct Outcome {
        /// The metrics table (nil for an unlabelled list).
        public let metrics: Table?
        /// The files written.
        public let written: [URL]
        /// The metrics as the run command prints them, a row each with its interval.
        public var metricsText: String? { metrics.map { ExperimentReport.metricsTable($0).aligned } }
    }

    /// Scores `file`'s trials with `embedder`; audio paths are relative to `root` unless absolute.
    public static func score(_ file: TrialFile, root: String, embedder: RunEmbedder, metricNames: [String]?, out folder: URL, threads: Int) throws -> Outcome {
        func path(_ name: String) -> String { name.hasPrefix("/") ? name : URL(fileURLWithPath: root).appendingPathComponent(name).path }
        let files = file.files
        for name in files where !FileManager.default.fileExists(atPath: path(name)) {
            throw PipelineError("\(path(name)): no such file (named by the trial list; paths are relative to --root \(root))")
        }
        let vectors = try embedder.scoringVectors(embedder.embed(paths: files.map(path), threads: threads))
        let embeddings = Dictionary(uniqueKeysWithValues: zip(files, vectors))
        var modelEmbeddings: [String: [Float]] = [:]
        // Only the models a trial names: an enrolment file may list more.
        let used = Set(file.trials.map(\.enrol))
        for (model, members) in file.models where used.contains(model) { modelEmbeddings[model] = Scoring.mean(members.compactMap { embeddings[$0] }) }
        // The run's own score normalisation (AS-norm when its evaluate stage used it).
        let normalisation = try embedder.normalisation()
        let scores = file.trials.map { trial in
            let (enrolled, tested) = (modelEmbeddings[trial.enrol] ?? embeddings[trial.enrol]!, embeddings[trial.test]!)
            let score = Double(Scoring.cosine(enrolled, tested))
            return normalisation?.normalise(score, enrolment: trial.enrol, enrolled, test: trial.test, tested) ?? score
        }
        var written: [URL] = []
        let scoresFile = folder.appendingPathComponent("scores.csv")
        guard file.isLabelled else {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let lines = ["enrol,test,score"] + zip(file.trials, scores).map { "\(CSV.escape($0.enrol)),\(CSV.escape($0.test)),\($1)" }
            try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: scoresFile.path)
            return Outcome(metrics: nil, written: [scoresFile])
        }
        let speakerNames = Set(file.trials.flatMap { [file.speaker(of: $0.enrol), file.speaker(of: $0.test)] }).sorted()
        let speakerIndex = Dictionary(uniqueKeysWithValues: speakerNames.enumerated().map { ($1, $0) })
        let enrolSpeakers = file.trials.map { speakerIndex[file.speaker(of: $0.enrol)]! }
        let testSpeakers = file.trials.map { speakerIndex[file.speaker(of: $0.test)]! }
        let labels = file.trials.map { $0.label! }
        // Measurable (both classes, named metrics) before anything is written.
        let trials: ScoredTrials
        do { trials = try ScoredTrials(scores: scores, labels: labels) } catch { throw PipelineError("the trial list cannot be measured: \(error)") }
        let metrics = try (metricNames ?? embedder.run.evaluate.metrics).map(VerificationMetric.named)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var lines = ["enrol,test,enrol_speaker,test_speaker,label,score"]
        for index in file.trials.indices {
            lines.append("\(CSV.escape(file.trials[index].enrol)),\(CSV.escape(file.trials[index].test)),\(enrolSpeakers[index]),\(testSpeakers[index]),\(labels[index] ? 1 : 0),\(scores[index])")
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: scoresFile.path)
        written.append(scoresFile)
        let labelled = SpeakerLabelledTrials(trials: trials, enrolmentSpeakers: enrolSpeakers, testSpeakers: testSpeakers, speakerCount: speakerNames.count)
        // The evaluate stage's bootstrap: the same seed, replicates and speaker order give the same intervals.
        var generator = SeededGenerator(seed: UInt64(embedder.run.seed)).split("bootstrap")
        let bootstrap = SpeakerBootstrap(speakerCount: speakerNames.count, replicates: embedder.run.evaluate.bootstrap, using: &generator)
        let intervals = try bootstrap.intervals(metrics, on: labelled, threads: Parallel.threads)
        var header: [String] = [], values: [String] = []
        for metric in metrics {
            let interval = intervals[metric]!
            header += [metric.rawValue, metric.rawValue + "_lo", metric.rawValue + "_hi"]
            values += [interval.estimate, interval.lower, interval.upper].map(ScoreFileMetrics.format)
        }
        let table = Table(header: header, rows: [values])
        let metricsFile = folder.appendingPathComponent("metrics.csv")
        try AtomicFile.write(table.csv, to: metricsFile.path)
        written.append(metricsFile)
        written += try ScoreFileMetrics.writeCurves(path: scoresFile.path, folder: folder.path).map { URL(fileURLWithPath: $0) }
        return Outcome(metrics: table, written: written)
    }
}
