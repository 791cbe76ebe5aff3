import Datasets
import Foundation
import Pipeline
import Reports
import Training

/// The trials a run's evaluate stage scored, written as files `speakerlab score` reads:
/// `trials.txt` (`label enrol test`), `enrolment.txt` (each enrolment model's files) and
/// `speakers.txt` (the speaker of each file and model), paths relative to the corpus root this
/// returns. Scoring them with the run gives the evaluate stage's metrics.
public enum EvaluationTrialFiles {
    /// Writes the three files into `folder`; returns the root their paths are relative to.
    public static func write(_ run: TrainedRun, to folder: URL) throws -> String {
        let features = try run.entry("features"), prepared = try run.entry("prepare")
        let table = try CSV.parse(try String(contentsOf: features.appendingPathComponent("utterances.csv"), encoding: .utf8))
        let rows = table.rows.filter { $0[2] == "test" }
        guard !rows.isEmpty else { throw PipelineError("the run's corpus has no test utterances") }
        // The evaluate stage's labels: indices into the sorted test speakers.
        let speakers = Set(rows.map { $0[1] }).sorted()
        let labelOf = Dictionary(uniqueKeysWithValues: speakers.enumerated().map { ($1, $0) })
        let ids = rows.map { $0[0] }, labels = rows.map { labelOf[$0[1]]! }
        let scoringProtocol = EvaluateStage.verificationProtocol(run.evaluate)
        guard let list = try VerificationTrials.trialList(scoringProtocol, ids: ids, labels: labels, seed: UInt64(run.seed)) else {
            throw PipelineError("the run's evaluate.protocol (\(run.evaluate.protocol.rawValue)) scores each test against every enrolled model, which a trial list cannot say; trial lists are written for the trials and pairs protocols")
        }
        let manifest = try Manifest.parse(try String(contentsOf: prepared.appendingPathComponent("manifest.csv"), encoding: .utf8), file: "manifest.csv")
        let pathOf = Dictionary(uniqueKeysWithValues: manifest.utterances.map { ($0.id, $0.path) })
        let speakerOfId = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[1]) })
        func file(_ id: String) throws -> String {
            guard let path = pathOf[id] else { throw PipelineError("utterance '\(id)' is not in the run's manifest; the cache entries disagree, so run the experiment again") }
            guard !path.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) else {
                throw PipelineError("the file of '\(id)' (\(path)) holds white space, which a trial list cannot hold")
            }
            return path
        }
        func modelName(_ enrolment: String) -> String { scoringProtocol.isSpeakerModelsProtocol ? "enrol-" + speakers[Int(enrolment)!] : enrolment }
        var trialLines: [String] = [], speakerLines: [String: String] = [:]
        for trial in list.trials {
            let test = try file(trial.test)
            let enrol = scoringProtocol.isSpeakerModelsProtocol ? modelName(trial.enrolment) : try file(trial.enrolment)
            trialLines.append("\(trial.isTarget ? 1 : 0) \(enrol) \(test)")
            speakerLines[test] = speakerOfId[trial.test]!
        }
        var enrolmentLines: [String] = []
        if scoringProtocol.isSpeakerModelsProtocol {
            for enrolment in list.enrolments.keys.sorted() {
                let files = try list.enrolments[enrolment]!.map(file)
                enrolmentLines.append(([modelName(enrolment)] + files).joined(separator: " "))
                for (path, id) in zip(files, list.enrolments[enrolment]!) { speakerLines[path] = speakerOfId[id]! }
            }
        } else {
            for trial in list.trials { speakerLines[try file(trial.enrolment)] = speakerOfId[trial.enrolment]! }
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try AtomicFile.write(trialLines.joined(separator: "\n") + "\n", to: folder.appendingPathComponent("trials.txt").path)
        if !enrolmentLines.isEmpty { try AtomicFile.write(enrolmentLines.joined(separator: "\n") + "\n", to: folder.appendingPathComponent("enrolment.txt").path) }
        try AtomicFile.write(speakerLines.keys.sorted().map { "\($0) \(speakerLines[$0]!)" }.joined(separator: "\n") + "\n", to: folder.appendingPathComponent("speakers.txt").path)
        return prepared.path
    }
}

extension VerificationProtocol {
    /// Whether trials are against speaker models (else pairwise).
    var isSpeakerModelsProtocol: Bool { if case .speakerModels = self { return true } else { return false } }
}
