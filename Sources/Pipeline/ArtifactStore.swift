import Foundation

/// Cache entries under a root (`Results/.cache`): `<root>/<k[0..2]>/<k>/` holding the stage's
/// files and a `manifest.json` with their sizes, written last. An entry is trusted only when its
/// manifest exists and every file has the recorded size, so a killed run never leaves an entry
/// that a later run would trust. Outputs are built in `<root>/tmp/` and renamed into place.
public struct ArtifactStore: Sendable {
    /// The cache root.
    public let root: URL

    /// Uses (and creates) a cache root.
    public init(root: URL) throws {
        self.root = root
        for folder in ["tmp", "locks", "partial"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
    }

    /// The entry folder of a key.
    public func entry(_ key: CacheKey) -> URL {
        root.appendingPathComponent(String(key.hex.prefix(2))).appendingPathComponent(key.hex)
    }

    /// The resume folder of a key (kept across crashed attempts).
    public func partial(_ key: CacheKey) -> URL {
        root.appendingPathComponent("partial").appendingPathComponent(key.hex)
    }

    /// Whether a complete, intact entry exists.
    public func isComplete(_ key: CacheKey) -> Bool {
        let folder = entry(key)
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("manifest.json").path),
              let manifest = try? JSONDecoder().decode([String: Int].self, from: data) else { return false }
        for (name, size) in manifest {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
            guard (attributes?[.size] as? NSNumber)?.intValue == size else { return false }
        }
        return true
    }

    /// A fresh temporary folder for building an entry.
    func temporaryFolder(for key: CacheKey) throws -> URL {
        let folder = root.appendingPathComponent("tmp").appendingPathComponent("\(key.short)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Records the manifest of a built folder and moves it into place as the key's entry.
    func commit(_ folder: URL, as key: CacheKey) throws {
        var manifest: [String: Int] = [:]
        if let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) {
            for case let file as URL in walker {
                let values = try file.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
                guard values.isRegularFile == true else { continue }
                let relative = String(file.path.dropFirst(folder.path.count + 1))
                manifest[relative] = values.fileSize ?? 0
            }
        }
        let data = try JSONEncoder().encode(manifest)
        try data.write(to: folder.appendingPathComponent("manifest.json"))
        let destination = entry(key)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: destination.path) {
            // An incomplete leftover (no valid manifest): replace it.
            try FileManager.default.removeItem(at: destination)
        }
        guard rename(folder.path, destination.path) == 0 else {
            throw PipelineError("cannot move \(folder.path) to \(destination.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Holds an exclusive lock on a key while `body` runs; another runner (thread or process)
    /// asking for the same key waits instead of failing or computing it twice.
    func withLock<T>(_ key: CacheKey, _ body: () throws -> T) throws -> T {
        let path = root.appendingPathComponent("locks").appendingPathComponent(key.hex + ".lock").path
        let descriptor = open(path, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else { throw PipelineError("cannot open the lock \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw PipelineError("cannot lock \(path): \(String(cString: strerror(errno)))") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
