import Foundation
import Metrics
import Pipeline

/// `speakerlab verify`: two files scored with a trained run, the score turned into a
/// log-likelihood ratio by the run's calibration, and the decision at its operating point.
public struct PairVerification: Sendable {
    /// The score of the two embeddings: their cosine, AS-normalised when the run's evaluation was.
    public let score: Double
    /// Whether the score is AS-normalised.
    public let normalised: Bool
    /// The calibrated log-likelihood ratio (nil: the run has no calibration).
    public let llr: Double?
    /// The operating point decided at, and its threshold on the raw score.
    public let operatingPoint: String
    public let threshold: Double
    /// Whether the two files are judged the same speaker.
    public var accepted: Bool { score >= threshold }
    /// Where the threshold came from.
    public let thresholdSource: String

    /// Scores the pair; `operatingPoint` overrides the calibration's own.
    public init(_ first: String, _ second: String, embedder: RunEmbedder, operatingPoint requested: String?, threads: Int) throws {
        let vectors = try embedder.scoringVectors(embedder.embed(paths: [first, second], threads: threads))
        let cosine = Double(Scoring.cosine(vectors[0], vectors[1]))
        score = try embedder.normalisation()?.normalise(cosine, enrolment: first, vectors[0], test: second, vectors[1]) ?? cosine
        normalised = embedder.run.evaluate.scoreNorm == .asNorm
        let published = embedder.run.folder.appendingPathComponent(CalibrationRecord.fileName)
        if FileManager.default.fileExists(atPath: published.path) {
            let record = try CalibrationRecord.read(published)
            let point = requested ?? record.operatingPoint
            guard let chosen = record.thresholds[point] else {
                throw PipelineError("--operating-point '\(point)' is not one of the calibration's: \(record.thresholds.keys.sorted().joined(separator: ", "))")
            }
            let problems = record.problems(at: point)
            guard problems.isEmpty else {
                throw PipelineError("\(published.path) cannot be trusted to decide: \(problems.joined(separator: "; ")); run the experiment again with more calibration speakers (calibrate.speakers), or choose another --operating-point")
            }
            llr = record.calibration.llr(score)
            operatingPoint = point
            threshold = chosen.score
            thresholdSource = "calibration.json (fitted on \(record.speakers.count) held-out training speakers)"
        } else {
            // Without a calibrate stage, the EER threshold of the run's own test trials.
            guard requested == nil || requested == "eer" else {
                throw PipelineError("the run has no calibration, so only the eer operating point is known; add a calibrate: section to its spec and run it again")
            }
            let trials = try ScoreFileMetrics.readTrials(embedder.run.folder.appendingPathComponent("scores.csv").path)
            llr = nil
            operatingPoint = "eer"
            threshold = EqualErrorRate(OperatingPoints(trials)).threshold
            thresholdSource = "the EER point of the run's test trials (scores.csv); add a calibrate: section for a threshold from held-out training speakers and an LLR"
        }
    }

    /// The result as one JSON object (`verify --json`): score, llr (null without calibration),
    /// operating point, threshold, decision and where the threshold came from.
    public var json: String {
        var object: [String: CanonicalValue] = [
            "score": .number(score), "normalised": .bool(normalised), "operating_point": .string(operatingPoint), "threshold": .number(threshold),
            "same_speaker": .bool(accepted), "decision": .string(accepted ? "same speaker" : "different speakers"), "threshold_source": .string(thresholdSource),
        ]
        object["llr"] = llr.map(CanonicalValue.number) ?? .null
        return CanonicalValue.object(object).canonicalText + "\n"
    }

    /// The lines `verify` prints.
    public var text: String {
        var lines = [String(format: "score     %.6f (%@)", score, normalised ? "cosine, AS-normalised as the run's evaluation" : "cosine")]
        if let llr { lines.append(String(format: "llr       %.4f (natural log; > 0 favours the same speaker)", llr)) }
        lines.append(String(format: "decision  %@ at %@ (threshold %.6f on the score, from %@)", accepted ? "same speaker" : "different speakers", operatingPoint, threshold, thresholdSource))
        return lines.joined(separator: "\n") + "\n"
    }
}
