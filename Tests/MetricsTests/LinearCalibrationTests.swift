import Testing
import TestSupport
@testable import Metrics

@Suite struct LinearCalibrationTests {
    struct Case: Decodable { let scores: [Double]; let labels: [Int]; let scale: Double; let offset: Double }
    struct File: Decodable { let cases: [Case] }

    /// The fit matches scikit-learn's unpenalised, class-balanced logistic regression
    /// (scripts/fixtures/calibration_fixtures.py).
    @Test func theFitIsScikitLearnsBalancedLogisticRegression() throws {
        let file = try Fixtures.json(File.self, "calibration.json")
        #expect(file.cases.count == 3)
        for fixture in file.cases {
            let trials = try ScoredTrials(scores: fixture.scores, labels: fixture.labels.map { $0 == 1 })
            let fitted = try LinearCalibration.fit(trials)
            #expect(abs(fitted.scale - fixture.scale) <= 1e-6 * abs(fixture.scale), "scale \(fitted.scale) vs \(fixture.scale)")
            #expect(abs(fitted.offset - fixture.offset) <= 1e-6 * max(1, abs(fixture.offset)), "offset \(fitted.offset) vs \(fixture.offset)")
            // It minimises Cllr over affine maps: nudging either parameter costs.
            let best = logLikelihoodRatioCost(fitted.apply(trials))
            for (da, db) in [(0.01, 0.0), (-0.01, 0.0), (0.0, 0.01), (0.0, -0.01)] {
                let nudged = LinearCalibration(scale: fitted.scale * (1 + da), offset: fitted.offset + db)
                #expect(logLikelihoodRatioCost(nudged.apply(trials)) > best)
            }
            #expect(abs(fitted.score(atLLR: fitted.llr(0.3)) - 0.3) < 1e-12)
        }
    }

    @Test func separatedClassesHaveNoCalibration() throws {
        let trials = try ScoredTrials(scores: [0.9, 0.8, 0.1, 0.2], labels: [true, true, false, false])
        #expect(throws: MetricError.separable) { try LinearCalibration.fit(trials) }
    }
}
