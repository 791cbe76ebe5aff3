import Foundation
import Pipeline

/// Commands that write files (`score`, `embed`, `trials`) never write into a published run's
/// folder: its `scores.csv`, `metrics.csv` and embeddings are the run's own, and `table` would
/// report a hand-made trial list's numbers as the run's.
public enum PublishedFolderGuard {
    /// Refuses `folder` when it, or a folder above it, is a published run (holds `keys.json`).
    public static func check(_ folder: URL, option: String = "--out") throws {
        var current = folder.standardizedFileURL
        for _ in 0..<64 {
            if FileManager.default.fileExists(atPath: current.appendingPathComponent("keys.json").path) {
                throw PipelineError("\(option) \(folder.path) is inside the published run \(current.path), whose files are the run's own; write somewhere else")
            }
            if current.path == "/" { break }
            current = current.deletingLastPathComponent()
        }
    }
}
