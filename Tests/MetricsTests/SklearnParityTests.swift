import Testing
import TestSupport
@testable import Metrics

/// Random score sets (with ties) scored by scikit-learn 1.9 and NumPy in
/// `scripts/fixtures/metrics_fixtures.py`.
@Suite struct SklearnParityTests {
    struct Case: Decodable {
        let scores: [Double]
        let labels: [Int]
        let roc_fpr: [Double]
        let roc_tpr: [Double]
        let roc_thresholds: [Double]
        let ap: Double
        let auc: Double
        let eer_seed: Double
        let acc_seed: Double
        let pr_auc_seed: Double
        let cllr: Double
        let min_dcf_p0_01: Double
        let min_dcf_p0_001: Double

        enum CodingKeys: String, CodingKey {
            case scores, labels, roc_fpr, roc_tpr, roc_thresholds, ap, auc, eer_seed, acc_seed, pr_auc_seed, cllr
            case min_dcf_p0_01 = "min_dcf_p0.01", min_dcf_p0_001 = "min_dcf_p0.001"
        }
    }

    struct File: Decodable { let random: [Case] }

    static let cases: [Case] = (try? Fixtures.json(File.self, "metrics.json").random) ?? []

    @Test func fixturesArePresent() { #expect(Self.cases.count == 4) }

    @Test(arguments: 0..<4)
    func everyMetricMatchesTheReference(index: Int) throws {
        let reference = Self.cases[index]
        let trials = try ScoredTrials(scores: reference.scores, labels: reference.labels.map { $0 == 1 })
        let curve = ROCCurve(OperatingPoints(trials), dropIntermediate: true)
        #expect(curve.falsePositiveRates.count == reference.roc_fpr.count)
        #expect(maximumRelativeError(curve.falsePositiveRates, reference.roc_fpr) < 1e-12)
        #expect(maximumRelativeError(curve.truePositiveRates, reference.roc_tpr) < 1e-12)
        #expect(maximumRelativeError(curve.thresholds.dropFirst(), reference.roc_thresholds.dropFirst()) < 1e-12)

        let values = try VerificationMetric.evaluate(VerificationMetric.allCases, on: trials)
        #expect(abs(values[.auc]! - reference.auc) < 1e-12)
        #expect(abs(values[.ap]! - reference.ap) < 1e-12)
        #expect(abs(values[.eerSeed]! - reference.eer_seed) < 1e-12)
        #expect(abs(values[.accuracySeed]! - reference.acc_seed) < 1e-12)
        #expect(abs(values[.prAUCSeed]! - reference.pr_auc_seed) < 1e-12)
        #expect(abs(values[.cllr]! - reference.cllr) < 1e-9)
        #expect(abs(values[.minDCF001]! - reference.min_dcf_p0_01) < 1e-9)
        #expect(abs(values[.minDCF0001]! - reference.min_dcf_p0_001) < 1e-9)
    }
}
