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
         "~pretrain", "~finetune", "~calibrate", "model.graph=mean-logmel.yaml", "name=\(name)", "dataset.on_bad_file=\(policy)"]
    }

    /// A file in the first speaker's folder.
    static func place(_ root: TemporaryDirectory, _ name: String) throws -> String {
        let speaker = try FileManager.default.contentsOfDirectory(atPath: root.url.path).sorted()[0]
        return root.path("\(speaker)/\(name)")
    }

    @Test(arguments: ProblemAudioFiles.kinds.indices)
    func eachProblemFileIsNamedAtPrepareWithItsReason(index: Int) throws {
        let kind = ProblemAudioFiles.kinds[index]
        let (name, reason, make) = (kind.name, kind.reason, kind.make)
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

    /// A corpus root relative to the working directory: every stage after prepare reads the
    /// manifest from the cache, so it holds absolute paths (features once looked for
    /// `<cache entry>/<relative root>/…`).
    @Test func aRelativeCorpusRootIsTheWorkingDirectorys() throws {
        let root = try StageContractTests.corpus(speakers: 4, utterances: 4)
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.pathComponents
        let there = root.url.standardizedFileURL.pathComponents
        let common = zip(here, there).prefix { $0 == $1 }.count
        let relative = (Array(repeating: "..", count: here.count - common) + there.dropFirst(common)).joined(separator: "/")
        let overrides = Self.overrides(root, name: "relative", policy: "fail").map { $0.hasPrefix("dataset.root=") ? "dataset.root=\(relative)" : $0 }
        let results = TemporaryDirectory()
        let summary = try ExperimentRun.run(specPath: Self.quickstart, overrides: overrides, locations: .init(results: results.url), jobs: 1,
                                            keepGoing: false, force: [])
        #expect(summary.succeeded, "\(summary.text)")
        #expect(summary.outcomes["features"] == .ran && summary.outcomes["evaluate"] == .ran)
    }

    @Test func aSilentAndATruncatedFileAreListedTogetherAndSkipCompletesTheRun() throws {
        let root = try StageContractTests.corpus(speakers: 4, utterances: 4)
        let silent = try Self.place(root, "silent.wav"), truncated = try Self.place(root, "truncated.wav")
        try ProblemAudioFiles.silent(silent)
        try ProblemAudioFiles.truncated(truncated)
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
