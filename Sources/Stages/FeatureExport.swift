import Audio
import Foundation
import Pipeline

/// `speakerlab audio features`: one float32 `.npy` (frames × bands) per audio file.
public enum FeatureExport {
    /// What an export did.
    public struct Summary: Sendable {
        /// The files written.
        public let written: [String]
        /// Every file that failed, with its reason.
        public let failures: [AudioError]
    }

    /// Extracts features for every file on `threads` threads and writes `<stem>.npy` into `folder`.
    /// Every bad file is reported; no partial feature file is ever left (each write is atomic).
    public static func run(paths: [String], settings: FeatureSettings, folder: String, threads: Int) throws -> Summary {
        let stems = paths.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
        let duplicates = Dictionary(grouping: stems, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        guard duplicates.isEmpty else {
            throw AudioError(path: folder, reason: "several inputs share the name \(duplicates.joined(separator: ", ")); their .npy files would overwrite each other — export them to separate folders")
        }
        let results = ParallelFeatureExtraction.run(paths: paths, settings: settings, threads: threads)
        var written: [String] = []
        var failures: [AudioError] = []
        for (index, result) in results.enumerated() {
            switch result {
            case let .success(features):
                let destination = URL(fileURLWithPath: folder).appendingPathComponent(stems[index] + ".npy").path
                try AtomicFile.write(NumpyArrayFile.encode(features.values, shape: [features.frames, features.bands]), to: destination)
                written.append(destination)
            case let .failure(error):
                failures.append(error)
            }
        }
        return Summary(written: written, failures: failures)
    }
}
