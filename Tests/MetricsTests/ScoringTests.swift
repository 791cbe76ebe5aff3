import Testing
@testable import Metrics

@Suite struct ScoringTests {
    @Test func cosineModelsAndMembership() {
        #expect(abs(Scoring.cosine([1, 0], [1, 1]) - 0.70710677) < 1e-6)
        #expect(Scoring.cosine([0, 0], [1, 1]) == 0)  // the ε guard, not NaN
        #expect(Scoring.mean([[1, 2], [3, 4]]) == [2, 3])
        // Best cosine 1 → (1 + 1)/2 = 1; best −1 → 0.
        #expect(Scoring.membershipScore([1, 0], models: [[0, 1], [2, 0]]) == 1)
        #expect(Scoring.membershipScore([-1, 0], models: [[1, 0]]) == 0)
    }

    @Test func adaptiveNormalisationCentresOnTheCohort() {
        let cohort: [[Float]] = [[1, 0], [0, 1], [1, 1], [-1, 0.5]]
        let e: [Float] = [1, 0.2], t: [Float] = [0.9, 0.1]
        let raw = Double(Scoring.cosine(e, t))
        let normalised = Scoring.adaptiveSymmetricNormalisation(score: raw, enrolment: e, test: t, cohort: cohort, topN: 2)
        // By hand: top-2 cohort cosines of e are cos(e,[1,0]) and cos(e,[1,1]); same for t.
        func stats(_ v: [Float]) -> (Double, Double) {
            let top = cohort.map { Double(Scoring.cosine(v, $0)) }.sorted(by: >).prefix(2)
            let m = top.reduce(0, +) / 2
            return (m, (top.reduce(0) { $0 + ($1 - m) * ($1 - m) } / 2).squareRoot())
        }
        let (me, se) = stats(e), (mt, st) = stats(t)
        #expect(abs(normalised - 0.5 * ((raw - me) / se + (raw - mt) / st)) < 1e-9)
    }

    @Test func curvesRunFromTheStrictestThresholdToAcceptAll() throws {
        let trials = try ScoredTrials(scores: [0.9, 0.8, 0.4, 0.7, 0.3, 0.2], labels: [true, true, true, false, false, false])
        let curves = DetectionCurves(OperatingPoints(trials))
        #expect(curves.thresholds == [0.9, 0.8, 0.7, 0.4, 0.3, 0.2])
        #expect(curves.falseAlarmRates.last == 1 && curves.missRates.last == 0)
        #expect(curves.csv.hasPrefix("threshold,false_alarm_rate,miss_rate,true_positive_rate\n0.9,0.0,"))
    }
}
