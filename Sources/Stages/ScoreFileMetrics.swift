import Foundation
import Metrics
import Pipeline
import Reports

/// Metrics for any score file with `label` (1 target, 0 non-target) and `score` columns, so
/// scores from other toolkits are measured with exactly the same code.
public enum ScoreFileMetrics {
    /// A score file that cannot be used, naming the file, the line and the fix.
    public struct InputError: Error, CustomStringConvertible {
        /// The whole message.
        public let description: String
    }

    /// Reads trials from a score CSV.
    public static func readTrials(_ path: String) throws -> ScoredTrials {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputError(description: "\(path): error: cannot read the file; check the path")
        }
        let table: Table
        do { table = try CSV.parse(text) } catch let error as CSV.ParseError {
            throw InputError(description: "\(path):\(error.line): error: \(error.message)")
        }
        guard let labelColumn = table.header.firstIndex(of: "label"), let scoreColumn = table.header.firstIndex(of: "score") else {
            throw InputError(description: "\(path):1: error: the header must name columns 'label' and 'score'; it has \(table.header.joined(separator: ","))")
        }
        var scores: [Double] = []
        var labels: [Bool] = []
        scores.reserveCapacity(table.rows.count)
        labels.reserveCapacity(table.rows.count)
        for (index, row) in table.rows.enumerated() {
            guard let score = Double(row[scoreColumn]), score.isFinite else {
                throw InputError(description: "\(path):\(index + 2): error: score '\(row[scoreColumn])' is not a finite number")
            }
            switch row[labelColumn] {
            case "1", "target", "true": labels.append(true)
            case "0", "nontarget", "non-target", "false": labels.append(false)
            default:
                throw InputError(description: "\(path):\(index + 2): error: label '\(row[labelColumn])' must be 1 (target) or 0 (non-target)")
            }
            scores.append(score)
        }
        do { return try ScoredTrials(scores: scores, labels: labels) } catch let error as MetricError {
            throw InputError(description: "\(path): error: \(error)")
        }
    }

    /// Reads a score file that also names each trial's speakers (`enrol_speaker`, `test_speaker`;
    /// `*` for a trial against every enrolled model), as the evaluate stage writes it, together
    /// with each trial's identity (`enrol` and `test`), or nil when it has no speaker columns.
    public static func readLabelledTrials(_ path: String) throws -> (trials: SpeakerLabelledTrials, identities: [String])? {
        let trials = try readTrials(path)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let table = try? CSV.parse(text),
              let enrolColumn = table.header.firstIndex(of: "enrol_speaker"), let testColumn = table.header.firstIndex(of: "test_speaker") else { return nil }
        let enrolIds = table.header.firstIndex(of: "enrol"), testIds = table.header.firstIndex(of: "test")
        var enrolled: [Int?] = [], tests: [Int] = [], identities: [String] = []
        for (index, row) in table.rows.enumerated() {
            guard let test = Int(row[testColumn]), test >= 0, row[enrolColumn] == "*" || Int(row[enrolColumn]).map({ $0 >= 0 }) == true else {
                throw InputError(description: "\(path):\(index + 2): error: enrol_speaker and test_speaker must be speaker numbers (or * for every enrolled model)")
            }
            enrolled.append(Int(row[enrolColumn]))
            tests.append(test)
            identities.append((enrolIds.map { row[$0] } ?? "") + "|" + (testIds.map { row[$0] } ?? ""))
        }
        let count = (tests + enrolled.compactMap { $0 }).max().map { $0 + 1 } ?? 0
        return (SpeakerLabelledTrials(trials: trials, enrolmentSpeakers: enrolled, testSpeakers: tests, speakerCount: count), identities)
    }

    /// Computes the named metrics for a score file and returns them as a one-row table.
    public static func evaluate(path: String, metricNames: [String]) throws -> Table {
        let metrics = try metricNames.isEmpty ? VerificationMetric.standard : metricNames.map(VerificationMetric.named)
        let trials = try readTrials(path)
        let values = try VerificationMetric.evaluate(metrics, on: trials)
        return Table(header: metrics.map(\.rawValue), rows: [metrics.map { format(values[$0]!) }])
    }

    /// Writes `roc.csv`, `roc.svg` and `det.svg` for a score file into `folder` (atomically).
    public static func writeCurves(path: String, folder: String) throws -> [String] {
        let trials = try readTrials(path)
        let curves = DetectionCurves(OperatingPoints(trials))
        let outputs = [("roc.csv", curves.csv), ("roc.svg", DetectionPlots.roc(curves)), ("det.svg", DetectionPlots.det(curves))]
        return try outputs.map { name, text in
            let destination = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            try AtomicFile.write(text, to: destination)
            return destination
        }
    }

    /// Seven significant digits, as the seed's README prints its figures.
    public static func format(_ value: Double) -> String {
        String(format: "%.7g", value)
    }
}
