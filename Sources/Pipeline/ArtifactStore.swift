import Foundation

/// Cache entries under a root (`Results/.cache`): `<root>/<k[0..2]>/<k>/` holding the stage's
/// files and a `manifest.json` with their sizes and SHA-256 checksums, written last. An entry is
/// trusted only when its manifest exists and every file has the recorded size and checksum, so a
/// killed run never leaves an entry that a later run would trust, and a damaged one (even a
/// same-size overwrite) is set aside in `<root>/corrupt/` and recomputed. Outputs are built in
/// `<root>/tmp/` and renamed into place.
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

    /// Whether the cache at `root` holds an intact entry for `key`, without creating a cache
    /// where there is none (plan-time checks call it).
    public static func entryIsComplete(_ key: CacheKey, root: URL) -> Bool {
        guard FileManager.default.fileExists(atPath: root.path), let store = try? ArtifactStore(root: root) else { return false }
        return store.isComplete(key)
    }

    /// The entry folder of a key in the cache at `root`, without opening (or creating) the cache.
    public static func entry(_ key: CacheKey, root: URL) -> URL {
        root.appendingPathComponent(String(key.hex.prefix(2))).appendingPathComponent(key.hex)
    }

    /// The entry folder of a key.
    public func entry(_ key: CacheKey) -> URL {
        root.appendingPathComponent(String(key.hex.prefix(2))).appendingPathComponent(key.hex)
    }

    /// The resume folder of a key (kept across crashed attempts).
    public func partial(_ key: CacheKey) -> URL {
        root.appendingPathComponent("partial").appendingPathComponent(key.hex)
    }

    /// What `manifest.json` records of each file.
    struct FileRecord: Codable, Equatable {
        let size: Int
        let sha256: String
    }

    /// Whether a complete, intact entry exists. An entry whose files no longer match their
    /// recorded checksums is moved to `<root>/corrupt/` (said on standard error) and reported
    /// missing, so the stage is computed again.
    public func isComplete(_ key: CacheKey) -> Bool {
        let folder = entry(key)
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("manifest.json").path) else { return false }
        guard let manifest = try? JSONDecoder().decode([String: FileRecord].self, from: data) else {
            setAside(key, because: "its manifest is unreadable or from an older SpeakerLab")
            return false
        }
        for name in manifest.keys.sorted() {
            let record = manifest[name]!
            let path = folder.appendingPathComponent(name).path
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue
            guard size == record.size, (try? SHA256Digest.hex(ofFile: path)) == record.sha256 else {
                setAside(key, because: size == nil ? "\(name) is missing" : "\(name) does not match its recorded checksum")
                return false
            }
        }
        return true
    }

    /// Moves a damaged entry out of the way (kept for inspection) so it can be computed again.
    func setAside(_ key: CacheKey, because reason: String) {
        let folder = entry(key)
        guard FileManager.default.fileExists(atPath: folder.path) else { return }
        let corrupt = root.appendingPathComponent("corrupt")
        try? FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
        let destination = corrupt.appendingPathComponent("\(key.hex)-\(getpid())-\(UUID().uuidString.prefix(8))")
        guard rename(folder.path, destination.path) == 0 else { return }
        FileHandle.standardError.write(Data("warning: cache entry \(key.short) was damaged (\(reason)); set aside in \(destination.path) and computed again\n".utf8))
    }

    /// Temporary folders that no running process owns (left by a killed run), for `gc`.
    public func orphanedTemporaryFolders() -> [URL] {
        let folder = root.appendingPathComponent("tmp")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            // `<key>-<pid>-<suffix>`: orphaned when that process is gone.
            let parts = name.split(separator: "-")
            guard parts.count == 3, let pid = Int32(parts[1]) else { return nil }
            return kill(pid, 0) != 0 && errno == ESRCH ? folder.appendingPathComponent(name) : nil
        }
    }

    /// A fresh temporary folder for building an entry.
    func temporaryFolder(for key: CacheKey) throws -> URL {
        let folder = root.appendingPathComponent("tmp").appendingPathComponent("\(key.short)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Records the manifest of a built folder and moves it into place as the key's entry.
    func commit(_ folder: URL, as key: CacheKey) throws {
        var manifest: [String: FileRecord] = [:]
        if let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) {
            for case let file as URL in walker {
                let values = try file.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
                guard values.isRegularFile == true else { continue }
                let relative = String(file.path.dropFirst(folder.path.count + 1))
                manifest[relative] = FileRecord(size: values.fileSize ?? 0, sha256: try SHA256Digest.hex(ofFile: file.path))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(manifest)
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
