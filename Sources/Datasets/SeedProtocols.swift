import Randomness

/// The seed's data protocols (reference §4–§5), each a named choice with its parameters.
///
/// The seed shuffles a *copy* of each speaker's list (`np.random.shuffle(list[a:b])`), so its splits
/// are fixed by sorted file name (reference §9.1). These protocols reproduce that by sorting,
/// because it fixes which utterances are enrolled (SA1, SA2 and the SI sentences on TIMIT); no
/// no-op shuffle is imitated.
public enum SeedProtocols {
    /// Pretraining split: per speaker, a seeded `validationFraction` of the utterances (rounded)
    /// goes to validation (the seed's stratified 80/20 gives 8 + 2 per TIMIT speaker).
    public static func pretrainingSplit(_ utterances: [Utterance], validationFraction: Double, using generator: inout SeededGenerator)
        -> (train: [Utterance], validation: [Utterance]) {
        var train: [Utterance] = [], validation: [Utterance] = []
        for (_, list) in Dictionary(grouping: utterances, by: \.speaker).sorted(by: { $0.key < $1.key }) {
            var shuffled = list.sorted { $0.id < $1.id }
            shuffled.shuffle(using: &generator)
            let held = Int((Double(shuffled.count) * validationFraction).rounded())
            validation += shuffled.prefix(held)
            train += shuffled.dropFirst(held)
        }
        return (train.sorted { $0.id < $1.id }, validation.sorted { $0.id < $1.id })
    }

    /// `split_perspeaker_audios`: each speaker's utterances sorted by file name; index i < c·ratio enrols.
    public static func perSpeakerSplit(_ utterances: [Utterance], ratio: Double) -> (enrolment: [Utterance], test: [Utterance]) {
        var enrolment: [Utterance] = [], test: [Utterance] = []
        for (_, list) in Dictionary(grouping: utterances, by: \.speaker).sorted(by: { $0.key < $1.key }) {
            let sorted = list.sorted { $0.fileName < $1.fileName }
            for (index, utterance) in sorted.enumerated() {
                if Double(index) < Double(sorted.count) * ratio { enrolment.append(utterance) } else { test.append(utterance) }
            }
        }
        return (enrolment, test)
    }

    /// The seed's SV membership protocol: the first `enrolledSpeakers` speakers (sorted) enrol by
    /// `perSpeakerSplit(ratio)`; their test utterances are members (targets) and every utterance
    /// of the other speakers is a non-member. A test's score is (max cosine over enrolled + 1)/2.
    public struct Membership: Equatable, Sendable {
        /// Enrolled speakers in sorted order.
        public let enrolledSpeakers: [String]
        /// The enrolment utterances.
        public let enrolment: [Utterance]
        /// Every scored utterance with whether it belongs to an enrolled speaker.
        public let tests: [(utterance: Utterance, isMember: Bool)]

        public static func == (lhs: Membership, rhs: Membership) -> Bool {
            lhs.enrolledSpeakers == rhs.enrolledSpeakers && lhs.enrolment == rhs.enrolment
                && lhs.tests.map(\.utterance) == rhs.tests.map(\.utterance) && lhs.tests.map(\.isMember) == rhs.tests.map(\.isMember)
        }
    }

    /// How many speakers the membership protocol enrols.
    public enum EnrolledCount: Equatable, Sendable {
        /// A fixed number (era A: 20).
        case count(Int)
        /// ⌊speakers · fraction⌋ (HEAD: 0.5).
        case fraction(Double)
    }

    /// Builds the membership protocol over the test speakers.
    public static func membership(_ utterances: [Utterance], enrolled: EnrolledCount, ratio: Double = 0.5) throws -> Membership {
        let speakers = Set(utterances.map(\.speaker)).sorted()
        let count: Int
        switch enrolled {
        case let .count(value): count = value
        case let .fraction(value): count = Int((Double(speakers.count) * value).rounded(.down))
        }
        guard count >= 1, count < speakers.count else {
            throw DatasetError("the membership protocol enrols \(count) of \(speakers.count) speakers; it needs at least one enrolled and one non-member speaker")
        }
        let enrolledSet = Set(speakers.prefix(count))
        let split = perSpeakerSplit(utterances.filter { enrolledSet.contains($0.speaker) }, ratio: ratio)
        for speaker in enrolledSet where !split.test.contains(where: { $0.speaker == speaker }) || !split.enrolment.contains(where: { $0.speaker == speaker }) {
            throw DatasetError("speaker '\(speaker)' needs at least one enrolment and one test utterance at ratio \(ratio)")
        }
        let nonMembers = utterances.filter { !enrolledSet.contains($0.speaker) }.sorted { $0.id < $1.id }
        return Membership(enrolledSpeakers: Array(speakers.prefix(count)), enrolment: split.enrolment,
                          tests: split.test.map { ($0, true) } + nonMembers.map { ($0, false) })
    }
}
