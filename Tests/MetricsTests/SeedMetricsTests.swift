import Testing
@testable import Metrics

/// The seed README's TIMIT SV figures, rebuilt from the FN/FP patterns of reference §5
/// (P = 100 enrolled-speaker test utterances, N = 1480 non-member utterances).
@Suite struct SeedMetricsTests {
    /// A run of trials from the highest score down: `tiedWith` shares the run's one score.
    struct Run { var label: Bool; var count: Int; var tiedWith: (label: Bool, count: Int)? = nil }

    static func trials(_ runs: [Run]) throws -> ScoredTrials {
        var scores: [Double] = []
        var labels: [Bool] = []
        var score = 10_000.0
        for run in runs {
            if let tie = run.tiedWith {
                scores += Array(repeating: score / 10_000, count: run.count + tie.count)
                labels += Array(repeating: run.label, count: run.count) + Array(repeating: tie.label, count: tie.count)
                score -= 1
            } else {
                for _ in 0..<run.count {
                    scores.append(score / 10_000)
                    labels.append(run.label)
                    score -= 1
                }
            }
        }
        return try ScoredTrials(scores: scores, labels: labels)
    }

    static func rounded(_ value: Double) -> Double { (value * 1e7).rounded() / 1e7 }

    @Test func deepSpeakerFiguresMatchTheREADME() throws {
        // ROC point: 8 missed targets, 123 accepted non-members; the threshold item is a target.
        let trials = try Self.trials([
            Run(label: true, count: 91), Run(label: false, count: 123), Run(label: true, count: 1),
            Run(label: false, count: 301), Run(label: true, count: 1), Run(label: false, count: 3),
            Run(label: true, count: 7), Run(label: false, count: 1053),
        ])
        #expect(trials.targetCount == 100 && trials.nonTargetCount == 1480)
        let metrics = try SeedVerificationMetrics(trials)
        #expect(Self.rounded(metrics.equalErrorRate) == 0.0815541)
        #expect(Self.rounded(metrics.accuracy) == 0.9164557)
        #expect(Self.rounded(metrics.binaryAveragePrecision) == 0.3926588)
        #expect(Self.rounded(metrics.areaUnderCurve) == 0.9761081)
    }

    @Test func seResNetFiguresMatchTheREADME() throws {
        // ROC point: 5 missed targets, 65 accepted non-members; the threshold item is a non-member,
        // and the next threshold holds a target tied with four non-members.
        let trials = try Self.trials([
            Run(label: true, count: 95), Run(label: false, count: 65),
            Run(label: true, count: 1, tiedWith: (false, 4)),
            Run(label: false, count: 198), Run(label: true, count: 4), Run(label: false, count: 1213),
        ])
        #expect(trials.targetCount == 100 && trials.nonTargetCount == 1480)
        let metrics = try SeedVerificationMetrics(trials)
        #expect(Self.rounded(metrics.equalErrorRate) == 0.0469595)
        #expect(Self.rounded(metrics.accuracy) == 0.9563291)
        #expect(Self.rounded(metrics.binaryAveragePrecision) == 0.5707746)
        #expect(Self.rounded(metrics.areaUnderCurve) == 0.9923311)
    }

    @Test func fineTuningSweepUsesStrictThresholdsAndFirstMinima() {
        // Targets 0.9, 0.6; non-targets 0.5, 0.1. Any t in [0.5, 0.6) separates them perfectly:
        // the first such threshold is 0.5 (0.5 > 0.5 is false), F1 = 1, accuracy = 1, EER = 0.
        let sweep = SeedThresholdSweep(similarities: [0.9, 0.5, 0.6, 0.1], labels: [true, false, true, false])
        #expect(abs(sweep.bestF1 - 1) < 1e-9)
        #expect(abs(sweep.accuracy - 1) < 1e-9)
        #expect(sweep.equalErrorRate == 0)
        // Negative similarities are never separated by a threshold in [0, 1): everything is rejected.
        let negative = SeedThresholdSweep(similarities: [-0.2, -0.5], labels: [true, false])
        #expect(negative.equalErrorRate == 0.5)
    }
}
