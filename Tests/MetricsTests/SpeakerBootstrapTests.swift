import Testing
import TestSupport
import Randomness
@testable import Metrics

/// The speaker bootstrap against NumPy (`scripts/fixtures/bootstrap_fixtures.py`): the same
/// speaker draws, metrics computed there independently (weighted Mann-Whitney AUC, EER by the
/// weighted curve, minDCF, weighted identification accuracy), the same percentiles.
@Suite struct SpeakerBootstrapTests {
    struct Fixture: Decodable {
        struct Interval: Decodable { let estimate: Double, lower: Double, upper: Double }
        let scores: [Double], labels: [Int], enrol_speakers: [Int], test_speakers: [Int], speakers: Int
        let si_hits: [Int], si_speakers: [Int], multiplicities: [[Int]]
        let expected: [String: Interval]
    }

    static func trials(_ fixture: Fixture) throws -> SpeakerLabelledTrials {
        SpeakerLabelledTrials(trials: try ScoredTrials(scores: fixture.scores, labels: fixture.labels.map { $0 == 1 }),
                              enrolmentSpeakers: fixture.enrol_speakers, testSpeakers: fixture.test_speakers, speakerCount: fixture.speakers)
    }

    @Test func intervalsMatchNumPyOnTheSameDraws() throws {
        let fixture = try Fixtures.json(Fixture.self, "bootstrap.json")
        let bootstrap = SpeakerBootstrap(multiplicities: fixture.multiplicities)
        let metrics: [VerificationMetric] = [.eer, .auc, .minDCF001]
        let intervals = try bootstrap.intervals(metrics, on: try Self.trials(fixture))
        for metric in metrics {
            let expected = fixture.expected[metric.rawValue]!, actual = intervals[metric]!
            #expect(abs(actual.estimate - expected.estimate) < 1e-12, "\(metric) estimate")
            #expect(abs(actual.lower - expected.lower) < 1e-12, "\(metric) lower: \(actual.lower) vs \(expected.lower)")
            #expect(abs(actual.upper - expected.upper) < 1e-12, "\(metric) upper: \(actual.upper) vs \(expected.upper)")
            #expect(actual.lower < actual.estimate || metric == .minDCF001)
        }
        let si = bootstrap.identificationInterval(hits: fixture.si_hits.map { $0 == 1 }, speakers: fixture.si_speakers)
        let expected = fixture.expected["si_top1"]!
        #expect(abs(si.estimate - expected.estimate) < 1e-12 && abs(si.lower - expected.lower) < 1e-12 && abs(si.upper - expected.upper) < 1e-12)
    }

    @Test func aSeededBootstrapIsReproducibleAndItsSeedMatters() throws {
        let fixture = try Fixtures.json(Fixture.self, "bootstrap.json")
        let trials = try Self.trials(fixture)
        func eer(seed: UInt64) throws -> ConfidenceInterval {
            var generator = SeededGenerator(seed: seed).split("bootstrap")
            return try SpeakerBootstrap(speakerCount: fixture.speakers, replicates: 300, using: &generator).intervals([.eer], on: trials)[.eer]!
        }
        #expect(try eer(seed: 1) == eer(seed: 1))
        #expect(try eer(seed: 1) != eer(seed: 2))
        // A speaker bootstrap is wider than resampling trials one by one would suggest: 12 speakers, not 432 trials.
        let interval = try eer(seed: 1)
        #expect(interval.upper - interval.lower > 0.08)
    }

    @Test func replicatesOnSeveralThreadsGiveTheSameIntervals() throws {
        let fixture = try Fixtures.json(Fixture.self, "bootstrap.json")
        let bootstrap = SpeakerBootstrap(multiplicities: fixture.multiplicities)
        let metrics: [VerificationMetric] = [.eer, .auc, .minDCF001, .eerSeed]
        let one = try bootstrap.intervals(metrics, on: try Self.trials(fixture), threads: 1)
        #expect(try bootstrap.intervals(metrics, on: try Self.trials(fixture), threads: 3) == one)
    }

    @Test func aPairedDifferenceOfASystemWithItselfIsExactlyZero() throws {
        let fixture = try Fixtures.json(Fixture.self, "bootstrap.json")
        let trials = try Self.trials(fixture)
        let difference = try SpeakerBootstrap(multiplicities: fixture.multiplicities).pairedDifferences([.eer, .auc], trials, trials)
        #expect(difference[.eer] == ConfidenceInterval(estimate: 0, lower: 0, upper: 0))
        #expect(!difference[.auc]!.excludesZero)
    }

    @Test func aClearlyBetterSystemIsSignificantlyBetterWhenPaired() throws {
        let fixture = try Fixtures.json(Fixture.self, "bootstrap.json")
        let trials = try Self.trials(fixture)
        // The same trials with the targets pushed up: a better system on the same speakers.
        let better = SpeakerLabelledTrials(trials: try ScoredTrials(scores: zip(fixture.scores, fixture.labels).map { $0 + ($1 == 1 ? 0.2 : 0) },
                                                                    labels: fixture.labels.map { $0 == 1 }),
                                           enrolmentSpeakers: trials.enrolmentSpeakers, testSpeakers: trials.testSpeakers, speakerCount: trials.speakerCount)
        let difference = try SpeakerBootstrap(multiplicities: fixture.multiplicities).pairedDifferences([.eer], better, trials)[.eer]!
        #expect(difference.estimate < 0 && difference.upper < 0 && difference.excludesZero)
    }

    @Test func aReplicatesOperatingPointsEqualThoseOfItsTrialsRepeated() throws {
        // Speakers 0, 1, 2; speaker 1 drawn twice, speaker 2 not at all.
        let trials = try ScoredTrials(scores: [0.9, 0.8, 0.8, 0.4, 0.3, 0.3, 0.1], labels: [true, false, true, true, false, false, false])
        let labelled = SpeakerLabelledTrials(trials: trials, enrolmentSpeakers: [0, 1, 1, 0, 2, nil, 0], testSpeakers: [0, 0, 1, 0, 1, 1, 2], speakerCount: 3)
        let bootstrap = SpeakerBootstrap(multiplicities: [[1, 2, 0], [1, 1, 1]])
        let weights = bootstrap.weights(labelled, replicate: 0)
        #expect(weights == [1, 2, 2, 1, 0, 2, 0])
        var scores: [Double] = [], labels: [Bool] = []
        for (index, weight) in weights.enumerated() {
            scores += repeatElement(trials.scores[index], count: weight)
            labels += repeatElement(trials.labels[index], count: weight)
        }
        let weighted = SortedSpeakerTrials(labelled).points(bootstrap.multiplicities[0])
        let repeated = OperatingPoints(try ScoredTrials(scores: scores, labels: labels))
        #expect(weighted.thresholds == repeated.thresholds && weighted.acceptedTargets == repeated.acceptedTargets
                && weighted.acceptedNonTargets == repeated.acceptedNonTargets)
    }
}
