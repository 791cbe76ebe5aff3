import Audio
import Foundation

/// A prepared corpus: one row per utterance with its path, speaker, duration and sample rate,
/// written as CSV. (Content checksums are the prepare stage's: its key holds the corpus files'
/// SHA-256 fingerprint.)
public struct Manifest: Equatable, Sendable {
    /// One manifest row.
    public struct Entry: Equatable, Sendable {
        /// The utterance.
        public var utterance: Utterance
        /// Length in seconds.
        public var duration: Double
        /// The file's own sample rate.
        public var sampleRate: Int
    }

    /// The rows, sorted by utterance id.
    public let entries: [Entry]

    /// Builds a manifest by opening every file (to read its length and rate).
    /// Every unreadable file is reported at once.
    public init(utterances: [Utterance]) throws {
        var entries: [Entry] = []
        var problems: [String] = []
        for utterance in utterances.sorted(by: { $0.id < $1.id }) {
            do {
                let signal = try AudioFile.read(utterance.path)
                entries.append(Entry(utterance: utterance, duration: signal.duration, sampleRate: signal.sampleRate))
            } catch {
                problems.append("\(error)")
            }
        }
        guard problems.isEmpty else {
            throw DatasetError("\(problems.count) unreadable file(s):\n" + problems.joined(separator: "\n"))
        }
        self.entries = entries
    }

    /// Wraps rows read back from a CSV.
    init(entries: [Entry]) { self.entries = entries }

    /// The utterances in manifest order.
    public var utterances: [Utterance] { entries.map(\.utterance) }

    static let header = ["id", "speaker", "path", "split", "sex", "dialect", "sentence_type", "duration", "sample_rate"]

    /// The CSV text.
    public var csv: String {
        var lines = [Self.header.joined(separator: ",")]
        for entry in entries {
            let u = entry.utterance
            lines.append([u.id, u.speaker, u.path, u.split, u.sex, u.dialect, u.sentenceType,
                          String(format: "%.4f", entry.duration), String(entry.sampleRate)]
                .map(Self.quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads a manifest CSV written by `csv`.
    public static func parse(_ text: String, file: String) throws -> Manifest {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty, lines.removeFirst() == header.joined(separator: ",") else {
            throw DatasetError("\(file):1: error: not a SpeakerLab manifest (expected the header \(header.joined(separator: ",")))")
        }
        return Manifest(entries: try lines.enumerated().map { index, line in
            let cells = splitCSVLine(line)
            guard cells.count == header.count, let duration = Double(cells[7]), let rate = Int(cells[8]) else {
                throw DatasetError("\(file):\(index + 2): error: malformed manifest row")
            }
            return Entry(utterance: Utterance(id: cells[0], speaker: cells[1], path: cells[2], split: cells[3], sex: cells[4],
                                              dialect: cells[5], sentenceType: cells[6]),
                         duration: duration, sampleRate: rate)
        })
    }

    private static func quote(_ cell: String) -> String {
        cell.contains(",") || cell.contains("\"") ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }

    private static func splitCSVLine(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var previousWasQuote = false
        for character in line {
            if quoted {
                if character == "\"" { quoted = false; previousWasQuote = true } else { cell.append(character) }
            } else if character == "\"" {
                if previousWasQuote { cell.append("\"") }
                quoted = true
                previousWasQuote = false
            } else if character == "," {
                cells.append(cell); cell = ""; previousWasQuote = false
            } else {
                cell.append(character); previousWasQuote = false
            }
        }
        cells.append(cell)
        return cells
    }
}
