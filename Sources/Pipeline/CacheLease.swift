import Foundation

/// A running experiment's claim on the cache entries it reads or makes, so that `speakerlab gc`
/// never removes one of them while it runs. Each run holds one lease file,
/// `<root>/leases/<pid>-<id>.json`, listing its keys and locked (flock) for the run's life: a
/// lease whose lock can be taken belongs to a process that has ended. Registration and `gc`'s
/// scan exclude each other through `<root>/leases.lock` (runs shared, gc exclusive), so gc
/// either sees a run's lease or finishes before the run looks at the cache.
public final class CacheLease {
    private let descriptor: Int32
    private let path: String
    private var released = false

    /// Takes a lease on `keys` in the cache at `root`; it holds until `release()` or the process ends.
    public init(keys: [CacheKey], root: URL) throws {
        let folder = root.appendingPathComponent("leases")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = "\(getpid())-\(UUID().uuidString.prefix(8))"
        let temporary = folder.appendingPathComponent("." + name).path
        path = folder.appendingPathComponent(name + ".json").path
        let guardDescriptor = try Self.lock(root.appendingPathComponent("leases.lock").path, LOCK_SH)
        defer { flock(guardDescriptor, LOCK_UN); close(guardDescriptor) }
        descriptor = open(temporary, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PipelineError("cannot create the lease \(temporary): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX) == 0 else { close(descriptor); throw PipelineError("cannot lock the lease \(temporary): \(String(cString: strerror(errno)))") }
        let text = Array((keys.map(\.hex).sorted().joined(separator: "\n") + "\n").utf8)
        guard text.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == text.count, rename(temporary, path) == 0 else {
            close(descriptor)
            throw PipelineError("cannot record the lease \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Ends the lease (once: a second call does nothing, so a reused descriptor is never closed).
    public func release() {
        guard !released else { return }
        released = true
        unlink(path)
        close(descriptor)
    }

    deinit { release() }

    /// Runs `body` with every live lease's keys, holding registration off meanwhile; leases of
    /// ended processes are removed. `gc` removes entries inside `body`.
    /// `exclusive: false` (a dry run that removes nothing) reads the leases without holding
    /// registration off and without creating the lock file.
    public static func withLiveKeys<T>(root: URL, exclusive: Bool = true, _ body: (Set<CacheKey>) throws -> T) throws -> T {
        let folder = root.appendingPathComponent("leases")
        let guardDescriptor = exclusive ? try lock(root.appendingPathComponent("leases.lock").path, LOCK_EX) : -1
        defer { if guardDescriptor >= 0 { flock(guardDescriptor, LOCK_UN); close(guardDescriptor) } }
        var live: Set<CacheKey> = []
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where name.hasSuffix(".json") {
            let path = folder.appendingPathComponent(name).path
            let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                // Nobody holds it: its run has ended without releasing it.
                if exclusive { unlink(path) }
                continue
            }
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            live.formUnion(text.split(separator: "\n").compactMap { CacheKey(hex: String($0)) })
        }
        return try body(live)
    }

    /// Opens (creating) and locks a file.
    static func lock(_ path: String, _ operation: Int32) throws -> Int32 {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PipelineError("cannot open the lock \(path): \(String(cString: strerror(errno)))") }
        while flock(descriptor, operation) != 0 {
            guard errno == EINTR else { close(descriptor); throw PipelineError("cannot lock \(path): \(String(cString: strerror(errno)))") }
        }
        return descriptor
    }
}
