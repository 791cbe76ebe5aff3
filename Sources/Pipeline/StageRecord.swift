import Foundation

/// How a cache entry was made: written as `stage.json` into every entry the runner commits, so a
/// report can say how long each stage took even when this run found it cached.
public struct StageRecord: Codable, Sendable, Equatable {
    /// The file name inside an entry.
    public static let fileName = "stage.json"

    /// The stage id that computed the entry.
    public let stage: String
    /// Wall-clock seconds the stage's body took.
    public let seconds: Double
    /// When it finished (ISO 8601, UTC).
    public let finished: String
    /// The machine it ran on.
    public let host: String

    /// Creates a record.
    public init(stage: String, seconds: Double, finished: Date = Date(), host: String = ProcessInfo.processInfo.hostName) {
        self.stage = stage
        self.seconds = seconds
        self.finished = ISO8601DateFormatter().string(from: finished)
        self.host = host
    }

    /// Reads the record of an entry folder; nil for entries made before records existed.
    public static func read(entry: URL) -> StageRecord? {
        guard let data = FileManager.default.contents(atPath: entry.appendingPathComponent(fileName).path) else { return nil }
        return try? JSONDecoder().decode(StageRecord.self, from: data)
    }

    /// Writes the record into a folder being built.
    func write(into folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: folder.appendingPathComponent(Self.fileName))
    }
}
