import Testing
import Randomness
@testable import Metrics

@Suite struct StandardMetricsTests {
    @Test func interpolatedEqualErrorRateOnAHandCase() throws {
        // Targets 0.9 0.8 0.4, non-targets 0.7 0.3 0.2. Walking thresholds down:
        // 0.9 → (miss 2/3, fa 0), 0.8 → (1/3, 0), 0.7 → (1/3, 1/3): the curves meet at 1/3 exactly.
        let trials = try ScoredTrials(scores: [0.9, 0.8, 0.4, 0.7, 0.3, 0.2], labels: [true, true, true, false, false, false])
        let eer = EqualErrorRate(OperatingPoints(trials))
        #expect(abs(eer.rate - 1.0 / 3) < 1e-12)
        // Perfect separation: EER 0.
        let separated = try ScoredTrials(scores: [3, 2, 1, 0], labels: [true, true, false, false])
        #expect(EqualErrorRate(OperatingPoints(separated)).rate == 0)
    }

    @Test func interpolationFallsBetweenTwoOperatingPoints() throws {
        // Targets 0.9 0.5, non-targets 0.7 0.1: points (miss, fa) = (1/2, 0) at 0.9, (1/2, 1/2) at 0.7.
        // The crossing lies on the segment from (1/2, 0) to (1/2, 1/2): at fa = 1/2 where miss = fa.
        let trials = try ScoredTrials(scores: [0.9, 0.5, 0.7, 0.1], labels: [true, true, false, false])
        #expect(abs(EqualErrorRate(OperatingPoints(trials)).rate - 0.5) < 1e-12)
    }

    @Test func detectionCostIsNormalisedAndBoundedByOne() throws {
        let trials = try ScoredTrials(scores: [0.9, 0.8, 0.4, 0.7, 0.3, 0.2], labels: [true, true, true, false, false, false])
        let points = OperatingPoints(trials)
        let cost = minimumDetectionCost(points, DetectionCostParameters(targetPrior: 0.01))
        // Accepting above 0.7 gives miss 1/3, fa 0: cost 0.01·(1/3)/0.01 = 1/3.
        #expect(abs(cost - 1.0 / 3) < 1e-12)
        let perfect = try ScoredTrials(scores: [3, 2, 1, 0], labels: [true, true, false, false])
        #expect(minimumDetectionCost(OperatingPoints(perfect), DetectionCostParameters(targetPrior: 0.001)) == 0)
    }

    @Test func identificationAccuracyCountsTopK() {
        // Three utterances × three speakers; truths 0, 1, 2.
        let scores: [Float] = [0.9, 0.1, 0.0,   // correct at top-1
                               0.8, 0.5, 0.9,   // true speaker ranks 3rd
                               0.2, 0.7, 0.6]   // true speaker ranks 2nd
        #expect(identificationAccuracy(scores: scores, speakerCount: 3, truth: [0, 1, 2], topK: 1) == 1.0 / 3)
        #expect(identificationAccuracy(scores: scores, speakerCount: 3, truth: [0, 1, 2], topK: 2) == 2.0 / 3)
        #expect(identificationAccuracy(scores: scores, speakerCount: 3, truth: [0, 1, 2], topK: 3) == 1)
    }

    @Test func calibratedCostsBehaveAtTheirLimits() throws {
        // Zero scores (LLR 0) are uninformative but calibrated: Cllr = 1 exactly.
        let flat = try ScoredTrials(scores: [0, 0, 0, 0], labels: [true, false, true, false])
        #expect(abs(logLikelihoodRatioCost(flat) - 1) < 1e-12)
        // Confident and right: Cllr near 0, actual DCF 0.
        let sharp = try ScoredTrials(scores: [40, 40, -40, -40], labels: [true, true, false, false])
        #expect(logLikelihoodRatioCost(sharp) < 1e-12)
        #expect(actualDetectionCost(sharp, DetectionCostParameters(targetPrior: 0.01)) == 0)
    }

    @Test func bootstrapIsSeededAndBracketsTheEstimate() throws {
        var random = SeededGenerator(seed: 7)
        let scores = (0..<400).map { _ in random.nextGaussian() }
        let labels = (0..<400).map { $0 < 100 }
        let shifted = zip(scores, labels).map { $1 ? $0 + 1.5 : $0 }
        let trials = try ScoredTrials(scores: shifted, labels: labels)
        let eer: (ScoredTrials) -> Double = { EqualErrorRate(OperatingPoints($0)).rate }
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let a = try bootstrapInterval(trials, replicates: 200, using: &first, metric: eer)
        let b = try bootstrapInterval(trials, replicates: 200, using: &second, metric: eer)
        #expect(a == b)
        #expect(a.lower < a.estimate && a.estimate < a.upper)
    }

    @Test func badInputIsRejectedWithAReason() {
        #expect(throws: MetricError.singleClass) { try ScoredTrials(scores: [1, 2], labels: [true, true]) }
        #expect(throws: MetricError.nonFiniteScore(index: 1)) { try ScoredTrials(scores: [1, .nan], labels: [true, false]) }
        #expect(throws: MetricError.mismatchedLengths(scores: 1, labels: 2)) { try ScoredTrials(scores: [1], labels: [true, false]) }
        #expect(throws: MetricError.self) { try VerificationMetric.named("eer2") }
    }
}
