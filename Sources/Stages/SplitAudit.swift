import Foundation
import Pipeline

/// Which stage kinds read which split of the features in this process: the evidence that no
/// stage but evaluation (and the report's sample plot) reads the test speakers. `StageArtifacts.load`
/// records every read; tests run whole experiments and inspect the record.
public final class SplitAudit: @unchecked Sendable {
    /// The process's record.
    public static let shared = SplitAudit()

    private let lock = NSLock()
    private var reads: Set<Read> = []

    /// One read: the stage kind (or `-` outside a stage), the split (`train`, `test`,
    /// `calibration`) and the features folder it came from (which tells runs apart).
    public struct Read: Hashable, Sendable {
        /// The stage kind.
        public let stage: String
        /// The split read.
        public let split: String
        /// The features artifact read.
        public let folder: String
    }

    /// Records that the running stage read `split` of the features in `folder`.
    func record(_ split: String, folder: URL) {
        let read = Read(stage: RunningStage.kind ?? "-", split: split, folder: folder.standardizedFileURL.path)
        lock.lock(); defer { lock.unlock() }
        reads.insert(read)
    }

    /// Every read recorded so far.
    public var recorded: Set<Read> {
        lock.lock(); defer { lock.unlock() }
        return reads
    }

    /// The stage kinds that read the test split of features below `root` (a results folder).
    public func testReaders(under root: URL) -> Set<String> {
        let prefix = root.standardizedFileURL.resolvingSymlinksInPath().path + "/"
        return Set(recorded.filter { $0.split == "test" && (URL(fileURLWithPath: $0.folder).resolvingSymlinksInPath().path + "/").hasPrefix(prefix) }.map(\.stage))
    }

    /// The splits each stage kind read of features below `root`.
    public func reads(under root: URL) -> [String: Set<String>] {
        let prefix = root.standardizedFileURL.resolvingSymlinksInPath().path + "/"
        var result: [String: Set<String>] = [:]
        for read in recorded where (URL(fileURLWithPath: read.folder).resolvingSymlinksInPath().path + "/").hasPrefix(prefix) { result[read.stage, default: []].insert(read.split) }
        return result
    }
}
