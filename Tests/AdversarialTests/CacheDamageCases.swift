import Foundation
import Testing

/// Category "cache damage": a cache entry damaged between two runs (a file overwritten at the
/// same size, truncated, deleted; a manifest deleted or garbled; an entry or temporary folder
/// left behind); each rerun notices, sets the entry aside, recomputes it and gives the same
/// metrics, byte for byte.
@Suite struct CacheDamageCases {
    static let mini = ["run", "Experiments/quickstart.yaml"] + ["~pretrain", "~finetune", "model.graph=mean-logmel.yaml", "name=mini",
                                                                "dataset.speakers=8", "dataset.utterances=4"].flatMap { ["--set", $0] }

    /// The cache entry folder holding `file`.
    static func entry(holding file: String, in sandbox: Sandbox) throws -> String {
        let cache = sandbox.path("Results/.cache")
        let walker = FileManager.default.enumerator(atPath: cache)!
        for case let relative as String in walker where relative.hasSuffix("/" + file) && !relative.hasPrefix("corrupt/") && !relative.hasPrefix("tmp/") {
            return "\(cache)/\(relative.dropLast(file.count + 1))"
        }
        throw CocoaError(.fileNoSuchFile)
    }

    static let damages: [(name: String, warning: String?, damage: @Sendable (String) throws -> Void)] = [
        ("features.npy overwritten at the same size", "features.npy does not match its recorded checksum", { entry in
            var bytes = try Data(contentsOf: URL(fileURLWithPath: "\(entry)/features.npy"))
            bytes[bytes.count - 8] ^= 0x40
            try bytes.write(to: URL(fileURLWithPath: "\(entry)/features.npy"))
        }),
        ("features.npy truncated", "features.npy does not match its recorded checksum", { entry in
            let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(entry)/features.npy"))
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: "\(entry)/features.npy"))
        }),
        ("features.npy deleted", "features.npy is missing", { try FileManager.default.removeItem(atPath: "\($0)/features.npy") }),
        ("manifest garbled", "its manifest is unreadable", { try "{not json".write(toFile: "\($0)/manifest.json", atomically: true, encoding: .utf8) }),
        ("manifest deleted", nil, { try FileManager.default.removeItem(atPath: "\($0)/manifest.json") }),
        ("entry deleted", nil, { try FileManager.default.removeItem(atPath: $0) }),
    ]

    @Test(arguments: damages.indices)
    func aDamagedEntryIsSetAsideAndRecomputed(index: Int) throws {
        let (_, warning, damage) = Self.damages[index]
        let sandbox = try Sandbox()
        expect(try sandbox.run(Self.mini), status: 0, contains: [], mayChange: ["Results"])
        let metrics = try Data(contentsOf: URL(fileURLWithPath: sandbox.path("Results/mini/metrics.csv")))
        try damage(try Self.entry(holding: "features.npy", in: sandbox))
        let rerun = try sandbox.run(Self.mini)
        expect(rerun, status: 0, contains: warning.map { ["warning: cache entry", $0, "computed again"] } ?? [], mayChange: ["Results"])
        #expect(rerun.output.contains("ran") || rerun.output.contains("1 ran"), "\(rerun.output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: sandbox.path("Results/mini/metrics.csv"))) == metrics)
    }

    @Test func aKilledRunsTemporaryFolderIsRemovedByGc() throws {
        let sandbox = try Sandbox()
        expect(try sandbox.run(Self.mini), status: 0, contains: [], mayChange: ["Results"])
        // pid 999999 is above Linux's pid_max: no process owns this folder.
        let orphan = sandbox.path("Results/.cache/tmp/0123456789ab-999999-deadbeef")
        try FileManager.default.createDirectory(atPath: orphan, withIntermediateDirectories: true)
        try "half a stage".write(toFile: orphan + "/features.npy", atomically: true, encoding: .utf8)
        let listed = try sandbox.run(["gc"])
        expect(listed, status: 0, contains: ["0123456789ab-999999-deadbeef"], mayChange: [])
        expect(try sandbox.run(["gc", "--apply"]), status: 0, contains: [], mayChange: ["Results/.cache"])
        #expect(!FileManager.default.fileExists(atPath: orphan))
        expect(try sandbox.run(Self.mini), status: 0, contains: [], mayChange: ["Results"])
    }

    /// `gc` never removes through a link placed inside the cache, and creates nothing where there is no cache.
    @Test func gcNeverFollowsALinkOutOfTheCache() throws {
        let sandbox = try Sandbox()
        expect(try sandbox.run(["gc", "--apply"]), status: 0, contains: ["no cache at"], mayChange: [])
        expect(try sandbox.run(["status"]), status: 0, contains: [], mayChange: [])
        expect(try sandbox.run(Self.mini), status: 0, contains: [], mayChange: ["Results"])
        try FileManager.default.createDirectory(atPath: sandbox.path("victim/0123456789ab-999999-deadbeef"), withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: sandbox.path("Results/.cache/tmp"))
        try FileManager.default.createSymbolicLink(atPath: sandbox.path("Results/.cache/tmp"), withDestinationPath: sandbox.path("victim"))
        expect(try sandbox.run(["gc", "--apply"]), status: 0, contains: [], mayChange: ["Results/.cache"])
        #expect(FileManager.default.fileExists(atPath: sandbox.path("victim/0123456789ab-999999-deadbeef")))
    }
}
