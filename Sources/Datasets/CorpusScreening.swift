import Audio

/// A corpus file that cannot be used, and why.
public struct BadFile: Sendable, Equatable, Codable {
    /// The file.
    public let path: String
    /// Why it cannot be used, in words a user can act on.
    public let reason: String

    /// Creates a record.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// Finds every problem file of a corpus in one pass, before any features are made: utterance
/// ids given twice (`u00.wav` beside `u00.flac`), then each file through the front end up to VAD
/// (unreadable, wrong format, truncated, a SPHERE header that disagrees with the data, non-finite
/// samples, empty, shorter than one analysis frame, silent, no speech found).
public enum CorpusScreening {
    /// The problem files, in the corpus's order; the first file of a repeated id is kept.
    public static func problems(_ utterances: [Utterance], settings: FeatureSettings, threads: Int) -> [BadFile] {
        var firstPath: [String: String] = [:]
        var duplicates: [Int: BadFile] = [:]
        for (index, utterance) in utterances.enumerated().sorted(by: { $0.element.path < $1.element.path }) {
            if let first = firstPath[utterance.id] {
                duplicates[index] = BadFile(path: utterance.path, reason: "the same utterance id '\(utterance.id)' as \(first) (one recording in two formats?); remove one of them")
            } else {
                firstPath[utterance.id] = utterance.path
            }
        }
        let unique = utterances.indices.filter { duplicates[$0] == nil }
        let screened = ParallelFeatureExtraction.screen(paths: unique.map { utterances[$0].path }, settings: settings, threads: threads)
        var problems = duplicates
        for (index, error) in zip(unique, screened) {
            if let error { problems[index] = BadFile(path: error.path, reason: error.reason) }
        }
        return problems.keys.sorted().map { problems[$0]! }
    }

    /// The error that lists every problem file, with the two ways on.
    public static func error(_ problems: [BadFile], of total: Int) -> DatasetError {
        DatasetError("\(problems.count) of the corpus's \(total) files cannot be used:\n"
                     + problems.map { "  \($0.path): \($0.reason)" }.joined(separator: "\n")
                     + "\nfix or remove them, or set dataset.on_bad_file: skip to leave them out (the report lists what was left out)")
    }
}
