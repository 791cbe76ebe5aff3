import Foundation
import Testing
import TestSupport
@testable import Stages

/// `compare` calls differences significant only when the paired speaker bootstrap says so:
/// two seeds of one model on a corpus of 4 test speakers are not called different (too few to
/// tell), while a trained model against the untrained baseline on the README's comparison (48
/// held-out speakers) is.
@Suite struct SignificanceTests {
    /// The verdict on a metric's row of `compare`'s paired differences.
    static func verdict(_ text: String, metric: String) -> String? {
        let paired = text.components(separatedBy: "paired differences").dropFirst().joined()
        return paired.split(separator: "\n").first { $0.hasPrefix(metric + " ") }.map { $0.trimmingCharacters(in: .whitespaces) }.map { $0.hasSuffix("not significant") ? "not significant" : ($0.hasSuffix("significant") ? "significant" : ($0.hasSuffix("to tell") ? "too few speakers" : "?")) }
    }

    @Test func twoSeedsOnTooFewSpeakersAreNotCalledDifferent() throws {
        let results = TemporaryDirectory()
        let spec = ExperimentRunTests.tinySpec
        // One corpus (dataset.seed), two training seeds.
        for seed in [1, 2] {
            let summary = try ExperimentRun.run(specPath: spec, overrides: ExperimentRunTests.tiny + ["seed=\(seed)", "dataset.seed=5", "name=seed\(seed)"],
                                                locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
            #expect(summary.succeeded, "\(summary.text)")
        }
        // A run given `name` publishes to the folder it names.
        let text = try RunComparison(folders: [results.path("seed1"), results.path("seed2")]).report(plotPath: nil)
        // The tiny corpus tests 4 speakers: fewer than a paired test can call a difference on.
        for metric in ["eer", "auc", "si_top1"] { #expect(Self.verdict(text, metric: metric) == "too few speakers", "\(metric): \(text)") }
    }

    @Test func theTrainedModelsAreSignificantlyBetterThanTheUntrainedBaseline() throws {
        let committed = Fixtures.repositoryRoot.appendingPathComponent("Results")
        let text = try RunComparison(folders: [committed.appendingPathComponent("baseline").path,
                                               committed.appendingPathComponent("synthetic-se-resnet").path]).report(plotPath: nil)
        #expect(text.contains("paired differences, synthetic-se-resnet − baseline"), "\(text)")
        for metric in ["eer", "si_top1"] { #expect(Self.verdict(text, metric: metric) == "significant", "\(metric): \(text)") }
        // And the quick start, evaluated on other trials, cannot be paired with the baseline.
        let unpaired = try RunComparison(folders: [committed.appendingPathComponent("baseline").path,
                                                   committed.appendingPathComponent("quickstart").path]).report(plotPath: nil)
        #expect(unpaired.contains("cannot be paired"), "\(unpaired)")
    }
}
