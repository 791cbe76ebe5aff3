import Testing
import Randomness
@testable import Datasets

@Suite struct ProtocolTests {
    /// A TIMIT-sized test split: 168 speakers × (sa1, sa2, 3 si, 5 sx), as file names only.
    static let timitTest: [Utterance] = (0..<168).flatMap { speaker -> [Utterance] in
        let id = String(format: "spk%03d", speaker)
        return ["sa1", "sa2", "si1027", "si1657", "si397", "sx127", "sx19", "sx199", "sx217", "sx37"].map {
            Utterance(id: "\(id)_\($0)", speaker: id, path: "/timit/test/\(id)/\($0).wav", sentenceType: String($0.prefix(2)))
        }
    }

    @Test func seedIdentificationProtocolHas840TestsAllSX() {
        let split = SeedProtocols.perSpeakerSplit(Self.timitTest, ratio: 0.5)
        #expect(split.test.count == 840)
        #expect(split.enrolment.count == 840)
        // Sorted by name, sa1 sa2 si… come first: every test is an SX sentence (reference §9.16).
        #expect(split.test.allSatisfy { $0.sentenceType == "sx" })
    }

    @Test func seedMembershipProtocolCountsMatchEraAAndHEAD() throws {
        let eraA = try SeedProtocols.membership(Self.timitTest, enrolled: .count(20))
        #expect(eraA.tests.filter(\.isMember).count == 100)
        #expect(eraA.tests.filter { !$0.isMember }.count == 1480)
        #expect(eraA.enrolledSpeakers.first == "spk000" && eraA.enrolledSpeakers.count == 20)
        let head = try SeedProtocols.membership(Self.timitTest, enrolled: .fraction(0.5))
        #expect(head.tests.filter(\.isMember).count == 420)
        #expect(head.tests.filter { !$0.isMember }.count == 840)
    }

    @Test func pretrainingSplitIsStratifiedAndSeeded() {
        var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42)
        let a = SeedProtocols.pretrainingSplit(Self.timitTest, validationFraction: 0.2, using: &first)
        let b = SeedProtocols.pretrainingSplit(Self.timitTest, validationFraction: 0.2, using: &second)
        #expect(a.train == b.train && a.validation == b.validation)
        #expect(a.train.count == 1344 && a.validation.count == 336)
        #expect(Dictionary(grouping: a.validation, by: \.speaker).values.allSatisfy { $0.count == 2 })
    }

    @Test func speakerModelTrialsAndBadInput() throws {
        var generator = SeededGenerator(seed: 1)
        let subset = Array(Self.timitTest.prefix(40))  // 4 speakers
        let trials = try TrialList.speakerModels(subset, enrolmentCount: 3, using: &generator)
        #expect(trials.trials.filter(\.isTarget).count == 28)
        #expect(trials.trials.filter { !$0.isTarget }.count == 28 * 3)
        let sampled = try TrialList.speakerModels(subset, enrolmentCount: 3, nonTargetsPerTest: 1, using: &generator)
        #expect(sampled.trials.filter { !$0.isTarget }.count == 28)
        let lonely = [Utterance(id: "a_1", speaker: "a", path: "/a/1.wav"), Utterance(id: "b_1", speaker: "b", path: "/b/1.wav")]
        #expect { try TrialList.speakerModels(lonely, enrolmentCount: 1, using: &generator) } throws: { "\($0)".contains("speaker 'a' has 1 utterance") }
    }

    @Test func pairwiseTrialsHoldEverySameSpeakerPairAndASeededSampleOfOthers() throws {
        let subset = Array(Self.timitTest.prefix(40))  // 4 speakers × 10 utterances
        var first = SeededGenerator(seed: 7), second = SeededGenerator(seed: 7), other = SeededGenerator(seed: 8)
        let trials = try TrialList.pairs(subset, nonTargetPairs: 100, using: &first)
        // Every unordered same-speaker pair once: 4 × C(10, 2) targets.
        let targets = trials.trials.filter(\.isTarget)
        #expect(targets.count == 4 * 45)
        #expect(Set(targets.map { [$0.enrolment, $0.test].sorted() }).count == 180)
        let speakerOf = Dictionary(uniqueKeysWithValues: subset.map { ($0.id, $0.speaker) })
        #expect(targets.allSatisfy { speakerOf[$0.enrolment] == speakerOf[$0.test] })
        // 100 distinct different-speaker pairs, each a real cross-speaker pair; the same seed draws the same ones.
        let nonTargets = trials.trials.filter { !$0.isTarget }
        #expect(nonTargets.count == 100 && Set(nonTargets.map { [$0.enrolment, $0.test].sorted() }).count == 100)
        #expect(nonTargets.allSatisfy { speakerOf[$0.enrolment] != speakerOf[$0.test] })
        #expect(try TrialList.pairs(subset, nonTargetPairs: 100, using: &second) == trials)
        #expect(try TrialList.pairs(subset, nonTargetPairs: 100, using: &other) != trials)
        // Asking for more than exist gives all of them: 40·39/2 − 180 = 600.
        #expect(try TrialList.pairs(subset, nonTargetPairs: 10_000, using: &first).trials.filter { !$0.isTarget }.count == 600)
        // Each utterance enrols alone.
        #expect(trials.enrolments.allSatisfy { $0.value == [$0.key] })
    }

    @Test func samplersAreSeededResumableAndLaidOutAPN() throws {
        var sampler = BatchSampler(itemCount: 10, batchSize: 4, generator: SeededGenerator(seed: 3))
        let firstBatch = sampler.next()!
        let saved = sampler
        var resumed = saved
        #expect(sampler.next() == resumed.next())
        #expect(firstBatch.count == 4)
        _ = sampler.next()
        #expect(sampler.next() == nil && sampler.epoch == 1)

        var generator = SeededGenerator(seed: 9)
        let speakers = [0, 0, 0, 1, 1, 2, 2, 2]
        let batch = try TripletSampler.random(speakers: speakers, count: 5, using: &generator)
        #expect(batch.rows.count == 15)
        for row in 0..<5 {
            #expect(speakers[batch.anchors[row]] == speakers[batch.positives[row]])
            #expect(batch.anchors[row] != batch.positives[row])
            #expect(speakers[batch.anchors[row]] != speakers[batch.negatives[row]])
        }
    }

    @Test func hardMiningPicksTheLeastSimilarPositiveAndMostSimilarNegative() throws {
        // Speaker 0: candidates 0, 1, 2; speaker 1: 3, 4. Embeddings in 2-D.
        let embeddings: [Float] = [1, 0,   0.9, 0.1,   0.2, 1,   0.95, 0.05,   -1, 0]
        var generator = SeededGenerator(seed: 4)
        let batch = try TripletSampler.hard(embeddings: embeddings, dimension: 2, speakers: [0, 0, 0, 1, 1],
                                            anchorSpeakers: 1, perAnchor: 1, using: &generator)
        #expect(batch.rows.count == 3)
        if batch.anchors[0] == 0 {
            #expect(batch.positives == [2])   // cos(0, 2) is the smallest among 1, 2
            #expect(batch.negatives == [3])   // candidate 3 is nearly parallel to 0
        }
        #expect(batch.anchors.allSatisfy { [0, 1, 2, 3, 4].contains($0) })
    }
}
