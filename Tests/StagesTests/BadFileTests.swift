import Audio
import Datasets
import Foundation
import Testing
import TestSupport
@testable import Stages

/// The bad-file policy and the "audio and corpora" category of the hostile-input suite: every
/// problem file of a corpus is listed at prepare in one pass, with its reason; with
/// `on_bad_file: skip` the run completes and its report names what was left out.
@Suite struct BadFileTests {
    static let quickstart = StageContractTests.quickstart

    /// The fast settings of the corpus tests: no training, the mean log-mel embedding.
    static func overrides(_ root: TemporaryDirectory, name: String, policy: String) -> [String] {
        ["dataset.kind=folders", "dataset.root=\(root.url.path)", "dataset.test_fraction=0.5", "features.seconds=0.6",
         "~pretrain", "~finetune", "model.graph=mean-logmel.yaml", "name=\(name)", "dataset.on_bad_file=\(policy)"]
    }

    /// A file in the first speaker's folder.
    static func place(_ root: TemporaryDirectory, _ name: String) throws -> String {
        let speaker = try FileManager.default.contentsOfDirectory(atPath: root.url.path).sorted()[0]
        return root.path("\(speaker)/\(name)")
    }

    static func silent(_ path: String) throws { try AudioFile.write(AudioSignal(samples: [Float](repeating: 0, count: 16000), sampleRate: 16000), to: path) }

    static func truncated(_ path: String) throws {
        let tone = (0..<16000).map { Float(sin(Double($0) * 0.05)) * 0.3 }
        try AudioFile.write(AudioSignal(samples: tone, sampleRate: 16000), to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 4000).write(to: URL(fileURLWithPath: path))
    }

    /// Each kind of problem file, how it is made, and the reason prepare gives.
    static let problems: [(name: String, reason: String, make: @Sendable (String) throws -> Void)] = [
        ("silent.wav", "the file is silent (every sample is zero)", { try silent($0) }),
        ("truncated.wav", "truncated: the header declares", { try truncated($0) }),
        ("text.wav", "not a readable audio file (libsndfile:", { try "not audio".write(toFile: $0, atomically: true, encoding: .utf8) }),
        ("empty.wav", "not a readable audio file", { FileManager.default.createFile(atPath: $0, contents: Data()) }),
        ("short.wav", "too short: 10 ms, less than one 25 ms analysis frame", {
            try AudioFile.write(AudioSignal(samples: (0..<160).map { Float($0 % 7) * 0.01 }, sampleRate: 16000), to: $0)
        }),
        ("infinite.wav", "2 of its 16000 samples are not finite (inf or NaN)", {
            var samples = (0..<16000).map { Float(sin(Double($0) * 0.05)) * 0.3 }
            samples[100] = .infinity
            samples[200] = .nan
            try AudioFile.write(AudioSignal(samples: samples, sampleRate: 16000), to: $0, format: .wavFloat)
        }),
        ("header.sph", "the SPHERE header declares sample_count", {
            try AudioFile.write(AudioSignal(samples: (0..<16000).map { Float(sin(Double($0) * 0.05)) * 0.3 }, sampleRate: 16000), to: $0, format: .sphere16)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: $0))
            let header = String(decoding: bytes.prefix(1024), as: UTF8.self)
            let edited = header.replacingOccurrences(of: "sample_count -i 16000", with: "sample_count -i 19000")
            #expect(edited != header, "no sample_count in the written header")
            bytes.replaceSubrange(0..<1024, with: Data(edited.utf8))
            try bytes.write(to: URL(fileURLWithPath: $0))
        }),
    ]

    @Test(arguments: problems.indices)
    func eachProblemFileIsNamedAtPrepareWithItsReason(index: Int) throws {
        let (name, reason, make) = Self.problems[index]
        let root = try StageContractTests.corpus(speakers: 4, utterances: 4)
        let path = try Self.place(root, name)
        try make(path)
        let results = TemporaryDirectory()
        let summary = try ExperimentRun.run(specPath: Self.quickstart, overrides: Self.overrides(root, name: "bad", policy: "fail"),
                                            locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        #expect(!summary.succeeded)
        #expect(summary.outcomes["prepare"] != .ran && summary.outcomes["features"] != .ran, "\(summary.text)")
        #expect(summary.text.contains("1 of the corpus's 17 files cannot be used:\n  \(path): \(reason)"), "\(summary.text)")
        #expect(summary.text.contains("set dataset.on_bad_file: skip"))
        // Nothing was published.
        #expect(!FileManager.default.fileExists(atPath: results.path("bad")))
    }

    @Test func aSilentAndATruncatedFileAreListedTogetherAndSkipCompletesTheRun() throws {
        let root = try StageContractTests.corpus(speakers: 4, utterances: 4)
        let silent = try Self.place(root, "silent.wav"), truncated = try Self.place(root, "truncated.wav")
        try Self.silent(silent)
        try Self.truncated(truncated)
        let results = TemporaryDirectory()
        let failed = try ExperimentRun.run(specPath: Self.quickstart, overrides: Self.overrides(root, name: "strict", policy: "fail"),
                                           locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        #expect(!failed.succeeded)
        #expect(failed.text.contains("2 of the corpus's 18 files cannot be used:"), "\(failed.text)")
        #expect(failed.text.contains("\(silent): the file is silent") && failed.text.contains("\(truncated): truncated"), "\(failed.text)")

        let skipped = try ExperimentRun.run(specPath: Self.quickstart, overrides: Self.overrides(root, name: "lenient", policy: "skip"),
                                            locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        #expect(skipped.succeeded, "\(skipped.text)")
        let report = try String(contentsOfFile: results.path("lenient/report.md"), encoding: .utf8)
        #expect(report.contains("## Files left out\n\n2 file(s) of the corpus could not be used"), "\(report)")
        #expect(report.contains(silent) && report.contains(truncated))
        let manifest = try String(contentsOfFile: results.path("lenient/skipped.csv"), encoding: .utf8)
        #expect(manifest.hasPrefix("path,reason\n"))
    }

    @Test func aRepeatedUtteranceIdIsAProblemNotACrash() throws {
        let root = try StageContractTests.corpus(speakers: 4, utterances: 4)
        let wav = try FileManager.default.contentsOfDirectory(atPath: root.path(try FileManager.default.contentsOfDirectory(atPath: root.url.path).sorted()[0])).sorted()[0]
        let original = try Self.place(root, wav)
        let flac = String(original.dropLast(4)) + ".flac"
        try AudioFile.write(try AudioFile.read(original), to: flac, format: .flac16)
        let results = TemporaryDirectory()
        let failed = try ExperimentRun.run(specPath: Self.quickstart, overrides: Self.overrides(root, name: "twice", policy: "fail"),
                                           locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        #expect(!failed.succeeded)
        #expect(failed.text.contains("\(original): the same utterance id") || failed.text.contains("\(flac): the same utterance id"), "\(failed.text)")
        let skipped = try ExperimentRun.run(specPath: Self.quickstart, overrides: Self.overrides(root, name: "once", policy: "skip"),
                                            locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        #expect(skipped.succeeded, "\(skipped.text)")
    }
}
