import Foundation

/// Verification trials with the speaker on each side: what a speaker bootstrap resamples.
///
/// Speakers are numbered 0..<speakerCount. `enrolmentSpeakers[i]` is trial i's claimed (enrolled)
/// speaker, or nil when a trial is scored against every enrolled model at once (the seed's
/// membership protocol); `testSpeakers[i]` is the speaker of its test utterance.
public struct SpeakerLabelledTrials: Sendable {
    /// Scores and labels.
    public let trials: ScoredTrials
    /// Each trial's enrolled speaker (nil: all of them).
    public let enrolmentSpeakers: [Int?]
    /// Each trial's test speaker.
    public let testSpeakers: [Int]
    /// Speakers the indices run over.
    public let speakerCount: Int

    /// Labels trials with their speakers.
    public init(trials: ScoredTrials, enrolmentSpeakers: [Int?], testSpeakers: [Int], speakerCount: Int) {
        precondition(enrolmentSpeakers.count == trials.scores.count && testSpeakers.count == trials.scores.count,
                     "one enrolment and one test speaker per trial")
        precondition(testSpeakers.allSatisfy { (0..<speakerCount).contains($0) }
                     && enrolmentSpeakers.allSatisfy { $0 == nil || (0..<speakerCount).contains($0!) }, "speaker index out of range")
        (self.trials, self.enrolmentSpeakers, self.testSpeakers, self.speakerCount) = (trials, enrolmentSpeakers, testSpeakers, speakerCount)
    }
}

/// A percentile bootstrap over speakers, the unit speaker-recognition results generalise over
/// (trials of one speaker are not independent; Poh and Bengio, "Estimating the confidence
/// interval of expected performance curve in biometric authentication using joint bootstrap",
/// ICASSP 2007). Each replicate draws the speakers with replacement; speaker s drawn c_s times
/// weighs a trial of enrolled speaker e against a test utterance of speaker t by c_e·c_t when
/// e ≠ t, by c_s when e = t = s (its target trials come along once per draw), and by c_t when the
/// trial has no single enrolled speaker. The same draws serve every metric and both sides of a
/// paired comparison, so a difference between two systems is resampled jointly.
public struct SpeakerBootstrap: Sendable {
    /// How the intervals are made, for reports.
    public static let method = "percentile bootstrap over speakers (enrolment and test utterances resampled together)"

    /// Confidence level of the intervals.
    public let confidence: Double
    /// multiplicities[r][s]: how often replicate r drew speaker s.
    public let multiplicities: [[Int]]

    /// The replicates.
    public var replicates: Int { multiplicities.count }

    /// Draws `replicates` resamples of `speakerCount` speakers with the caller's seeded generator.
    public init<Generator: RandomNumberGenerator>(speakerCount: Int, replicates: Int = 1000, confidence: Double = 0.95, using generator: inout Generator) {
        precondition(speakerCount > 0 && replicates > 1 && confidence > 0 && confidence < 1,
                     "a speaker bootstrap needs speakers, more than one replicate and a confidence in (0, 1)")
        var drawn: [[Int]] = []
        drawn.reserveCapacity(replicates)
        for _ in 0..<replicates {
            var counts = [Int](repeating: 0, count: speakerCount)
            for _ in 0..<speakerCount { counts[Int.random(in: 0..<speakerCount, using: &generator)] += 1 }
            drawn.append(counts)
        }
        self.init(multiplicities: drawn, confidence: confidence)
    }

    /// A bootstrap with given draws (an independent reference's, in tests).
    public init(multiplicities: [[Int]], confidence: Double = 0.95) {
        precondition(multiplicities.count > 1, "a bootstrap needs more than one replicate")
        self.multiplicities = multiplicities
        self.confidence = confidence
    }

    /// Each trial's weight in replicate r.
    public func weights(_ trials: SpeakerLabelledTrials, replicate r: Int) -> [Int] {
        let counts = multiplicities[r]
        precondition(counts.count == trials.speakerCount, "the bootstrap drew \(counts.count) speakers, the trials have \(trials.speakerCount)")
        return counts.withUnsafeBufferPointer { c in
            zip(trials.enrolmentSpeakers, trials.testSpeakers).map { enrolled, test in Self.weight(enrolled: enrolled ?? -1, test: test, c) }
        }
    }

    /// The weighting rule, in one place: a trial of enrolled speaker e (−1: every enrolled model)
    /// against a test utterance of speaker t weighs c_t when e is −1 or e = t, else c_e·c_t.
    @inline(__always)
    static func weight(enrolled: Int, test: Int, _ counts: UnsafeBufferPointer<Int>) -> Int {
        enrolled < 0 || enrolled == test ? counts[test] : counts[enrolled] * counts[test]
    }

    /// The interval of each metric, from the replicates in which it is defined (both classes
    /// present). Replicates are independent, so `threads` computes them in parallel with the same
    /// result.
    public func intervals(_ metrics: [VerificationMetric], on trials: SpeakerLabelledTrials, threads: Int = 1) throws -> [VerificationMetric: ConfidenceInterval] {
        let estimates = try VerificationMetric.evaluate(metrics, on: trials.trials)
        let sorted = SortedSpeakerTrials(trials)
        let replicateValues = try perReplicate(threads: threads) { r in
            try Self.evaluate(metrics, sorted: sorted, counts: multiplicities[r], weights: { weights(trials, replicate: r) })
        }
        var values = [VerificationMetric: [Double]]()
        for replicate in replicateValues { for metric in metrics { if let value = replicate?[metric] { values[metric, default: []].append(value) } } }
        return Dictionary(uniqueKeysWithValues: metrics.map { ($0, interval(estimate: estimates[$0]!, values[$0] ?? [])) })
    }

    /// `body(r)` for every replicate, on up to `threads` threads, results in replicate order.
    func perReplicate<Value>(threads: Int, _ body: (Int) throws -> Value?) throws -> [Value?] {
        var results = [Value?](repeating: nil, count: replicates)
        let workers = max(1, min(threads, replicates))
        if workers == 1 {
            for r in 0..<replicates { results[r] = try body(r) }
            return results
        }
        var failure: Error?
        let lock = NSLock()
        results.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for r in stride(from: worker, to: replicates, by: workers) {
                    do { (base + r).pointee = try body(r) } catch { lock.lock(); failure = failure ?? error; lock.unlock() }
                }
            }
        }
        if let failure { throw failure }
        return results
    }

    /// The interval of each metric's difference a − b between two systems scored on the same
    /// trials (same speakers, same labels, in the same order), from the same draws.
    public func pairedDifferences(_ metrics: [VerificationMetric], _ a: SpeakerLabelledTrials, _ b: SpeakerLabelledTrials) throws -> [VerificationMetric: ConfidenceInterval] {
        precondition(a.trials.labels == b.trials.labels && a.testSpeakers == b.testSpeakers && a.enrolmentSpeakers == b.enrolmentSpeakers,
                     "a paired comparison needs the same trials on both sides")
        let estimatesA = try VerificationMetric.evaluate(metrics, on: a.trials), estimatesB = try VerificationMetric.evaluate(metrics, on: b.trials)
        let sortedA = SortedSpeakerTrials(a), sortedB = SortedSpeakerTrials(b)
        var values = [VerificationMetric: [Double]]()
        for r in 0..<replicates {
            guard let valuesA = try Self.evaluate(metrics, sorted: sortedA, counts: multiplicities[r], weights: { weights(a, replicate: r) }),
                  let valuesB = try Self.evaluate(metrics, sorted: sortedB, counts: multiplicities[r], weights: { weights(b, replicate: r) }) else { continue }
            for metric in metrics { values[metric, default: []].append(valuesA[metric]! - valuesB[metric]!) }
        }
        return Dictionary(uniqueKeysWithValues: metrics.map { ($0, interval(estimate: estimatesA[$0]! - estimatesB[$0]!, values[$0] ?? [])) })
    }

    /// The interval of an identification accuracy: `hits[u]` says whether test utterance u of
    /// speaker `speakers[u]` was identified; replicates weigh each utterance by its speaker's draws.
    public func identificationInterval(hits: [Bool], speakers: [Int]) -> ConfidenceInterval {
        precondition(hits.count == speakers.count && !hits.isEmpty, "one speaker per identification trial")
        let estimate = Double(hits.filter { $0 }.count) / Double(hits.count)
        var values: [Double] = []
        for counts in multiplicities {
            var correct = 0, total = 0
            for (hit, speaker) in zip(hits, speakers) {
                total += counts[speaker]
                if hit { correct += counts[speaker] }
            }
            if total > 0 { values.append(Double(correct) / Double(total)) }
        }
        return interval(estimate: estimate, values)
    }

    /// The interval of the difference of two identification accuracies on the same test
    /// utterances (b − a), from the same draws.
    public func pairedIdentificationDifference(_ a: [Bool], _ b: [Bool], speakers: [Int]) -> ConfidenceInterval {
        precondition(a.count == b.count && a.count == speakers.count && !a.isEmpty, "a paired comparison needs the same test utterances")
        let estimate = Double(b.filter { $0 }.count - a.filter { $0 }.count) / Double(a.count)
        var values: [Double] = []
        for counts in multiplicities {
            var difference = 0, total = 0
            for index in a.indices {
                let weight = counts[speakers[index]]
                total += weight
                difference += weight * ((b[index] ? 1 : 0) - (a[index] ? 1 : 0))
            }
            if total > 0 { values.append(Double(difference) / Double(total)) }
        }
        return interval(estimate: estimate, values)
    }

    /// The metrics of one replicate, or nil when it drew no target or no non-target trial.
    static func evaluate(_ metrics: [VerificationMetric], sorted: SortedSpeakerTrials, counts: [Int], weights: () -> [Int]) throws -> [VerificationMetric: Double]? {
        let points = sorted.points(counts)
        let order = sorted.order
        guard points.targetCount > 0 && points.nonTargetCount > 0 else { return nil }
        var values: [VerificationMetric: Double] = [:]
        var rest: [VerificationMetric] = []
        for metric in metrics {
            if let value = metric.value(from: points) { values[metric] = value } else { rest.append(metric) }
        }
        if !rest.isEmpty {
            // Metrics that need the trials themselves: each trial repeated by its weight.
            var scores: [Double] = [], labels: [Bool] = []
            for (index, weight) in weights().enumerated() where weight > 0 {
                scores += repeatElement(order.scores[index], count: weight)
                labels += repeatElement(order.labels[index], count: weight)
            }
            let expanded = try VerificationMetric.evaluate(rest, on: try ScoredTrials(scores: scores, labels: labels))
            values.merge(expanded) { $1 }
        }
        return values
    }

    /// The percentile interval of bootstrap values around an estimate (linear interpolation
    /// between order statistics, numpy's default).
    public func interval(estimate: Double, _ values: [Double]) -> ConfidenceInterval {
        guard !values.isEmpty else { return ConfidenceInterval(estimate: estimate, lower: estimate, upper: estimate) }
        let sorted = values.sorted()
        let tail = (1 - confidence) / 2
        return ConfidenceInterval(estimate: estimate, lower: Self.percentile(sorted, tail), upper: Self.percentile(sorted, 1 - tail))
    }

    /// The p-quantile of sorted values, interpolated linearly.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }
}

extension ConfidenceInterval {
    /// The fewest speakers a paired difference can be called significant on at 95 %: with n
    /// speakers, n differences that all point one way happen by chance with probability 2^(1−n)
    /// (a two-sided sign test), under 0.05 only from n = 6. Below that a bootstrap interval that
    /// leaves out zero is an artefact of resampling too few clusters, not evidence.
    public static let minimumSpeakersForSignificance = 6

    /// The verdict on a paired difference over `speakers` speakers.
    public func verdict(speakers: Int) -> String {
        guard speakers >= Self.minimumSpeakersForSignificance else {
            return "too few speakers (\(speakers)) to tell"
        }
        return excludesZero ? "significant" : "not significant"
    }

    /// Whether the interval leaves out zero: for a paired difference, a significant one.
    public var excludesZero: Bool { lower > 0 || upper < 0 }

    /// Whether a value lies inside the interval (bounds included).
    public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }
}

/// Speaker-labelled trials in descending score order, laid out for the bootstrap's inner loop:
/// each replicate accumulates its weighted counts in one pass, without a weight array.
struct SortedSpeakerTrials {
    let order: TrialOrder
    /// By sorted position: the enrolled speaker (−1: every enrolled model), the test speaker, the label.
    let enrolled: [Int32], tested: [Int32], labels: [Bool]

    init(_ trials: SpeakerLabelledTrials) {
        order = TrialOrder(trials.trials)
        enrolled = order.sorted.map { Int32(trials.enrolmentSpeakers[$0] ?? -1) }
        tested = order.sorted.map { Int32(trials.testSpeakers[$0]) }
        labels = order.sorted.map { trials.trials.labels[$0] }
    }

    /// The replicate's operating points for speaker draws `counts` (weights as `SpeakerBootstrap` defines them).
    func points(_ counts: [Int]) -> OperatingPoints {
        var thresholds: [Double] = [], targets: [Int] = [], nonTargets: [Int] = []
        thresholds.reserveCapacity(order.groupEnds.count)
        targets.reserveCapacity(order.groupEnds.count)
        nonTargets.reserveCapacity(order.groupEnds.count)
        var truePositives = 0, falsePositives = 0, start = 0
        counts.withUnsafeBufferPointer { c in
            enrolled.withUnsafeBufferPointer { e in
                tested.withUnsafeBufferPointer { t in
                    labels.withUnsafeBufferPointer { y in
                        for end in order.groupEnds {
                            var added = false
                            for position in start..<end {
                                let weight = SpeakerBootstrap.weight(enrolled: Int(e[position]), test: Int(t[position]), c)
                                guard weight > 0 else { continue }
                                added = true
                                if y[position] { truePositives += weight } else { falsePositives += weight }
                            }
                            if added {
                                thresholds.append(order.scores[order.sorted[start]])
                                targets.append(truePositives)
                                nonTargets.append(falsePositives)
                            }
                            start = end
                        }
                    }
                }
            }
        }
        return OperatingPoints(thresholds: thresholds, acceptedTargets: targets, acceptedNonTargets: nonTargets,
                               targetCount: truePositives, nonTargetCount: falsePositives)
    }
}
