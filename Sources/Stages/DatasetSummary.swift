import Audio
import Datasets
import Foundation
import Reports

/// `speakerlab dataset summary KIND ROOT`: speakers, utterances and hours per split, by sex and
/// dialect region where known, and every unreadable file.
public enum DatasetSummary {
    /// The corpus kinds SpeakerLab reads.
    public static let kinds = ["timit", "folders", "synthetic"]

    /// Reads a corpus of a named kind.
    public static func utterances(kind: String, root: String) throws -> [Utterance] {
        switch kind {
        case "timit": return try TIMITCorpus.read(root: root)
        case "folders": return try SpeakerFolderCorpus.read(root: root)
        case "synthetic":
            // A written synthetic corpus is TIMIT-like on disk: <root>/<split>/<speaker>/<utterance>.wav.
            return try ["train", "test"].flatMap { split -> [Utterance] in
                let path = "\(root)/\(split)"
                guard FileManager.default.fileExists(atPath: path) else { return [] }
                return try SpeakerFolderCorpus.read(root: path).map {
                    var utterance = $0
                    utterance.split = split
                    utterance.sex = String(utterance.speaker.prefix(1))
                    utterance.id = utterance.id.replacingOccurrences(of: "/", with: "_")
                    return utterance
                }
            }
        default:
            throw DatasetError("unknown dataset kind '\(kind)'; use one of \(kinds.joined(separator: ", "))")
        }
    }

    /// The summary text.
    public static func text(kind: String, root: String) throws -> String {
        let utterances = try utterances(kind: kind, root: root)
        var durations: [String: Double] = [:]
        var unreadable: [String] = []
        for utterance in utterances {
            do { durations[utterance.id] = try AudioFile.read(utterance.path).duration } catch { unreadable.append("\(error)") }
        }
        var table = Table(header: ["split", "speakers", "utterances", "hours", "female", "male", "dialects"])
        for (split, list) in Dictionary(grouping: utterances, by: { $0.split.isEmpty ? "all" : $0.split }).sorted(by: { $0.key > $1.key }) {
            let speakers = Dictionary(grouping: list, by: \.speaker)
            let hours = list.reduce(0.0) { $0 + (durations[$1.id] ?? 0) } / 3600
            let sexes = speakers.values.map { $0[0].sex }
            let dialects = Set(list.map(\.dialect)).subtracting([""]).sorted()
            table.append([split, String(speakers.count), String(list.count), String(format: "%.3f", hours),
                          String(sexes.filter { $0 == "f" }.count), String(sexes.filter { $0 == "m" }.count),
                          dialects.isEmpty ? "-" : dialects.joined(separator: " ")])
        }
        var text = "\(kind) corpus at \(root)\n" + table.aligned
        if !unreadable.isEmpty {
            text += "\n\(unreadable.count) unreadable file(s):\n" + unreadable.joined(separator: "\n") + "\n"
        }
        return text
    }
}
