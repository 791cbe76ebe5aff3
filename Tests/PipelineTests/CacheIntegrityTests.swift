import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// Cache damage: entries are trusted by checksum, not size; a damaged one is set aside and
/// recomputed; `--force` starts a stage over; killed runs' temporary folders are found.
@Suite struct CacheIntegrityTests {
    @Test func aSameSizeOverwriteOfACachedFileIsCaughtSetAsideAndRecomputed() throws {
        let folder = TemporaryDirectory()
        let store = try ArtifactStore(root: folder.url)
        let log = ExecutionLog()
        let graph = try StageRunnerTests.graph(learningRate: 1e-3, log: log)
        _ = StageRunner(store: store).run(graph)
        let key = graph.keys["features"]!
        let file = store.entry(key).appendingPathComponent("out.txt")
        var bytes = try Data(contentsOf: file)
        bytes[0] ^= 0x20  // same size, other content
        try bytes.write(to: file)
        #expect(!store.isComplete(key))
        let corrupt = try FileManager.default.contentsOfDirectory(atPath: folder.path("corrupt"))
        #expect(corrupt.count == 1 && corrupt[0].hasPrefix(key.hex), "the damaged entry is kept aside for inspection")
        let again = StageRunner(store: store).run(graph)
        #expect(again.outcomes["features"] == .ran && again.outcomes["prepare"] == .cached)
        #expect(store.isComplete(key))
    }

    @Test func aManifestFromAnOlderFormatIsNotTrusted() throws {
        let folder = TemporaryDirectory()
        let store = try ArtifactStore(root: folder.url)
        let graph = try StageRunnerTests.graph(learningRate: 1e-3, log: ExecutionLog())
        _ = StageRunner(store: store).run(graph)
        let key = graph.keys["prepare"]!
        try Data("{\"out.txt\": 7}".utf8).write(to: store.entry(key).appendingPathComponent("manifest.json"))
        #expect(!store.isComplete(key))
    }

    @Test func forcingAStageClearsItsResumeState() throws {
        let folder = TemporaryDirectory()
        let store = try ArtifactStore(root: folder.url)
        let seen = ExecutionLog()
        let stage = Stage(id: "train", kind: "train") { context in
            if FileManager.default.fileExists(atPath: context.partial.appendingPathComponent("state").path) { seen.record("resumed") }
            try Data("state".utf8).write(to: context.partial.appendingPathComponent("state"))
            try Data("model".utf8).write(to: context.output.appendingPathComponent("model"))
        }
        let graph = try StageGraph([stage])
        // A damaged resume state left by a killed attempt.
        let partial = store.partial(graph.keys["train"]!)
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        try Data("truncated".utf8).write(to: partial.appendingPathComponent("state"))
        #expect(StageRunner(store: store, force: ["train"]).run(graph).outcomes["train"] == .ran)
        #expect(seen.count("resumed") == 0)
    }

    @Test func temporaryFoldersOfDeadProcessesAreOrphans() throws {
        let folder = TemporaryDirectory()
        let store = try ArtifactStore(root: folder.url)
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()
        let dead = folder.url.appendingPathComponent("tmp/0123456789ab-\(exited.processIdentifier)-deadbeef")
        let alive = folder.url.appendingPathComponent("tmp/0123456789ab-\(getpid())-cafebabe")
        for path in [dead, alive] { try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true) }
        #expect(store.orphanedTemporaryFolders().map(\.lastPathComponent) == [dead.lastPathComponent])
    }
}
