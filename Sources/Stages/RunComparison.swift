import Foundation
import Metrics
import Pipeline
import Randomness
import Reports

/// `speakerlab compare RUN_A RUN_B ...`: what differs in the resolved specs, the metrics side by
/// side with their differences from the first run, and the training curves overlaid in one SVG.
public struct RunComparison {
    /// The runs, the first being the reference.
    public let runs: [PublishedRun]

    /// Reads the run folders (each must hold `metrics.csv`).
    public init(folders: [String]) throws {
        guard folders.count >= 2 else { throw PipelineError("compare needs at least two run folders, e.g. Results/a Results/b") }
        runs = try folders.map { path in
            let url = URL(fileURLWithPath: path).standardizedFileURL
            return try PublishedRun(folder: url, name: url.lastPathComponent)
        }
    }

    /// Spec keys whose values differ between the runs: key, then one cell per run.
    public var specDifferences: Table {
        let leaves = runs.map { $0.spec.map { PublishedRun.leaves($0) } ?? [:] }
        var table = Table(header: ["key"] + runs.map(\.name))
        for key in Set(leaves.flatMap(\.keys)).sorted() {
            let values = leaves.map { $0[key] ?? "(absent)" }
            if Set(values).count > 1 { table.append([key] + values) }
        }
        return table
    }

    /// Metrics of every run side by side, then each later run's difference from the first.
    public var metrics: Table {
        var names: [String] = []
        for run in runs {
            let columns = Set(run.metrics.map(\.name))
            for metric in run.metrics where !names.contains(metric.name) && !ResultsTable.isBound(metric.name, among: columns) { names.append(metric.name) }
        }
        let deltas = runs.dropFirst().map { "Δ \($0.name)" }
        var table = Table(header: ["metric"] + runs.map(\.name) + deltas)
        let cells = ResultsTable(digits: 4, intervals: .interval)
        for name in names {
            let values = runs.map { $0.metric(name) ?? "–" }
            let shown = runs.map { cells.cell($0, name) }
            let reference = Double(values[0])
            let differences = values.dropFirst().map { value -> String in
                guard let reference, let number = Double(value) else { return "–" }
                return String(format: "%+.4g", number - reference)
            }
            table.append([name] + shown + differences)
        }
        return table
    }

    /// For each later run against the first, evaluated on the same trials: each metric's paired
    /// difference (later − first) with its 95 % interval from one speaker bootstrap over both runs'
    /// trials (seeded by the first run's seed), and whether the difference is significant (the
    /// interval leaves out 0). Runs scored on different trials are said to be unpairable.
    public func pairedDifferences() throws -> String {
        guard let reference = runs.first else { return "" }
        let seed = UInt64(max(0, reference.spec?["seed"]?.int ?? 1))
        let replicates = max(2, reference.spec?["evaluate"]?["bootstrap"]?.int ?? 1000)
        let referenceTrials = try ScoreFileMetrics.readLabelledTrials(reference.folder.appendingPathComponent("scores.csv").path)
        let referenceIdentification = Self.identification(reference)
        var text = ""
        for run in runs.dropFirst() {
            text += "\npaired differences, \(run.name) − \(reference.name)\n"
            var table = Table(header: ["metric", reference.name, run.name, "difference", "95 % interval", "verdict"])
            var unpaired: [String] = []
            let trials = try ScoreFileMetrics.readLabelledTrials(run.folder.appendingPathComponent("scores.csv").path)
            if let a = referenceTrials, let b = trials {
                if a.identities == b.identities && a.trials.trials.labels == b.trials.trials.labels {
                    let metrics = reference.metrics.map(\.name).filter { name in run.metric(name) != nil }.compactMap { VerificationMetric(rawValue: $0) }
                    var generator = SeededGenerator(seed: seed).split("compare")
                    let bootstrap = SpeakerBootstrap(speakerCount: max(a.trials.speakerCount, b.trials.speakerCount), replicates: replicates, using: &generator)
                    let widened = { (trials: SpeakerLabelledTrials) in
                        SpeakerLabelledTrials(trials: trials.trials, enrolmentSpeakers: trials.enrolmentSpeakers, testSpeakers: trials.testSpeakers, speakerCount: bootstrap.multiplicities[0].count)
                    }
                    let differences = try bootstrap.pairedDifferences(metrics, widened(b.trials), widened(a.trials))
                    let speakers = Set(a.trials.testSpeakers).union(a.trials.enrolmentSpeakers.compactMap { $0 }).count
                    for metric in metrics { table.append(Self.row(metric.rawValue, reference, run, differences[metric]!, speakers: speakers)) }
                } else {
                    unpaired.append("verification: the runs were scored on different trials, so their difference cannot be paired; compare their intervals instead")
                }
            } else {
                unpaired.append("verification: a run has no scores.csv with trial speakers (run it again with this SpeakerLab)")
            }
            if let a = referenceIdentification, let b = Self.identification(run) {
                if a.tests == b.tests {
                    var generator = SeededGenerator(seed: seed).split("compare-identification")
                    let bootstrap = SpeakerBootstrap(speakerCount: (a.speakers.max() ?? 0) + 1, replicates: replicates, using: &generator)
                    for (name, hitsA, hitsB) in [("si_top1", a.top1, b.top1), ("si_top5", a.top5, b.top5)] where reference.metric(name) != nil {
                        table.append(Self.row(name, reference, run, bootstrap.pairedIdentificationDifference(hitsA, hitsB, speakers: a.speakers),
                                              speakers: Set(a.speakers).count))
                    }
                } else {
                    unpaired.append("identification: the runs identified different test utterances, so their difference cannot be paired")
                }
            }
            text += (table.rows.isEmpty ? "" : table.aligned) + unpaired.map { $0 + "\n" }.joined()
        }
        return text
    }

    /// A paired-difference row: both values, the difference, its interval and the verdict (none
    /// on fewer speakers than a paired test can decide on).
    static func row(_ name: String, _ a: PublishedRun, _ b: PublishedRun, _ difference: ConfidenceInterval, speakers: Int) -> [String] {
        [name, a.metric(name) ?? "–", b.metric(name) ?? "–", String(format: "%+.4f", difference.estimate),
         String(format: "[%+.4f, %+.4f]", difference.lower, difference.upper), difference.verdict(speakers: speakers)]
    }

    /// A run's `identification.csv`: test ids, their speakers and the top-1 and top-5 hits.
    static func identification(_ run: PublishedRun) -> (tests: [String], speakers: [Int], top1: [Bool], top5: [Bool])? {
        guard let text = try? String(contentsOf: run.folder.appendingPathComponent("identification.csv"), encoding: .utf8),
              let table = try? CSV.parse(text), table.header == ["test", "test_speaker", "top1", "top5"] else { return nil }
        var result: (tests: [String], speakers: [Int], top1: [Bool], top5: [Bool]) = ([], [], [], [])
        for row in table.rows {
            guard let speaker = Int(row[1]), speaker >= 0 else { return nil }
            result.tests.append(row[0]); result.speakers.append(speaker)
            result.top1.append(row[2] == "1"); result.top5.append(row[3] == "1")
        }
        return result.tests.isEmpty ? nil : result
    }

    /// The overlaid training curves, or nil when no run has a history.
    public var curves: String? {
        let histories = runs.compactMap { run in run.history.map { (name: run.name, history: $0) } }
        return histories.isEmpty ? nil : TrainingCurves.overlay(histories)
    }

    /// The text `speakerlab compare` prints; writes the curves to `plotPath` when there are any.
    public func report(plotPath: String?) throws -> String {
        let differences = specDifferences
        var text = "spec differences\n" + (differences.rows.isEmpty ? "(none: the resolved specs are identical)\n" : differences.aligned)
        text += "\nmetrics\n" + metrics.aligned
        text += try pairedDifferences()
        let marked = runs.filter(\.selectedOnTestSpeakers)
        if !marked.isEmpty {
            text += "\nselected on test speakers: \(marked.map(\.name).joined(separator: ", ")) chose a checkpoint on the test speakers (finetune.select: test-speakers); their test metrics, and any difference they enter, are optimistic\n"
        }
        if let plotPath, let curves {
            try AtomicFile.write(curves, to: plotPath)
            text += "\ntraining curves: \(plotPath)\n"
        }
        return text
    }
}
