import Foundation
import Testing
import TestSupport
import Pipeline
import Spec
@testable import Stages

/// The classical baseline (`Experiments/mfcc-baseline.yaml`): MFCC statistics, standardised with
/// the training utterances' statistics, scored alike by evaluate and `score`; and the plan's
/// checks of `features.coefficients`.
@Suite(.serialized) struct ClassicalBaselineTests {
    static let spec = Fixtures.repositoryRoot.appendingPathComponent("Experiments/mfcc-baseline.yaml").path
    static let small = ["dataset.speakers=20", "dataset.utterances=6", "dataset.test_fraction=0.4", "features.seconds=0.6", "name=mfcc"]

    @Test func theBaselineIsStandardisedMFCCStatisticsScoredAlikeByEvaluateAndScore() throws {
        let results = TemporaryDirectory()
        let summary = try ExperimentRun.run(specPath: Self.spec, overrides: Self.small, locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        #expect(summary.succeeded, "\(summary.text)")
        let trained = try TrainedRun(path: results.path("mfcc"))
        // The published embeddings are the network's: means and deviations of 20 coefficients.
        let (ids, embeddings) = try EmbeddingFiles.read(from: URL(fileURLWithPath: results.path("mfcc")))
        #expect(ids.count == 8 * 6 && embeddings.allSatisfy { $0.count == 40 })
        let embedder = try RunEmbedder(run: trained, wholeUtterance: false)
        let standardisation = try #require(try embedder.standardisation())
        #expect(standardisation.mean.count == 40 && standardisation.deviation.allSatisfy { $0 > 0 })
        // Deviations (the second half) are non-negative, so their training mean is too.
        #expect(standardisation.mean[20...].allSatisfy { $0 >= 0 })
        // `score` over the evaluate stage's trials gives its scores to the last digit.
        #expect(try AfterTrainingTests.scoreReproducesEvaluate(trained, embedder: embedder, published: results.path("mfcc/scores.csv")))
        let evaluated = try String(contentsOfFile: results.path("mfcc/scores.csv"), encoding: .utf8)
        // Without the standardisation the same features score otherwise, and only evaluate reruns.
        let raw = try ExperimentRun.run(specPath: Self.spec, overrides: Self.small + ["evaluate.embedding_norm=none"], locations: .init(results: results.url),
                                        jobs: 1, keepGoing: false, force: [])
        #expect(raw.succeeded)
        #expect(try String(contentsOfFile: results.path("mfcc/scores.csv"), encoding: .utf8) != evaluated)
        #expect(try TrainedRun(path: results.path("mfcc")).keys["features"] == trained.keys["features"])
    }

    @Test(arguments: [
        (["features.kind=logfbank", "features.coefficients=13"], "features.coefficients", "applies only to features.kind mfcc"),
        (["features.coefficients=30", "features.bands=24"], "features.coefficients", "raise features.bands to at least 30"),
        (["features.bands=16"], "features.bands", "mfcc keeps 20 coefficients of 16 bands"),
    ])
    func coefficientsTheFeaturesCannotHaveArePlanErrors(_ overrides: [String], _ key: String, _ message: String) {
        #expect {
            try ExperimentPlan(specPath: Self.spec, overrides: Self.small + overrides)
        } throws: { "\($0)".contains(key) && "\($0)".contains(message) }
    }
}
