import Randomness

/// Triplet batches laid out `[A | P | N]`: rows 0..<T anchors, T..<2T positives, 2T..<3T negatives,
/// with T taken from the spec (the seed hard-codes 16, reference §9.12).
public enum TripletSampler {
    /// One batch's item indices in `[A | P | N]` order.
    public struct Batch: Equatable, Sendable {
        /// Anchor items.
        public let anchors: [Int]
        /// Positive items (same speaker as the anchor in the same row).
        public let positives: [Int]
        /// Negative items (another speaker).
        public let negatives: [Int]
        /// Creates a batch from its three columns (equal lengths).
        public init(anchors: [Int], positives: [Int], negatives: [Int]) {
            precondition(anchors.count == positives.count && positives.count == negatives.count, "triplet columns differ in length")
            self.anchors = anchors
            self.positives = positives
            self.negatives = negatives
        }

        /// All rows in `[A | P | N]` order.
        public var rows: [Int] { anchors + positives + negatives }
    }

    /// The seed's random triplets (`random_batch`): for each of `count` triplets, two distinct
    /// speakers; anchor and positive are two distinct utterances of the first, the negative one of the second.
    public static func random(speakers: [Int], count: Int, using generator: inout SeededGenerator) throws -> Batch {
        let bySpeaker = Dictionary(grouping: speakers.indices, by: { speakers[$0] })
        let eligible = bySpeaker.filter { $0.value.count >= 2 }.keys.sorted()
        guard eligible.count >= 1, bySpeaker.count >= 2 else {
            throw DatasetError("triplets need two speakers, one of them with at least two utterances; have \(bySpeaker.count) speaker(s)")
        }
        var anchors: [Int] = [], positives: [Int] = [], negatives: [Int] = []
        let allSpeakers = bySpeaker.keys.sorted()
        for _ in 0..<count {
            let first = eligible[Int.random(in: 0..<eligible.count, using: &generator)]
            var second = first
            while second == first { second = allSpeakers[Int.random(in: 0..<allSpeakers.count, using: &generator)] }
            var pool = bySpeaker[first]!
            pool.shuffle(using: &generator)
            anchors.append(pool[0])
            positives.append(pool[1])
            let others = bySpeaker[second]!
            negatives.append(others[Int.random(in: 0..<others.count, using: &generator)])
        }
        return Batch(anchors: anchors, positives: positives, negatives: negatives)
    }

    /// Hard mining over a history of embedded candidates (reference §6, W's `best_batch`), with
    /// true cosine similarity and each anchor's own similarity row (the seed reads another
    /// utterance's row, §9.13). `anchorSpeakers` speakers are drawn; for each, a random anchor,
    /// its `perAnchor` least similar positives and `perAnchor` most similar negatives.
    ///
    /// `embeddings` is row-major [candidates × dimension]; `speakers[i]` is candidate i's speaker.
    public static func hard(embeddings: [Float], dimension: Int, speakers: [Int], anchorSpeakers: Int, perAnchor: Int,
                            using generator: inout SeededGenerator) throws -> Batch {
        let count = speakers.count
        precondition(embeddings.count == count * dimension, "embeddings must be candidates × dimension")
        let bySpeaker = Dictionary(grouping: 0..<count, by: { speakers[$0] })
        let eligible = bySpeaker.filter { $0.value.count > perAnchor }.keys.sorted()
        guard !eligible.isEmpty, bySpeaker.count >= 2 else {
            throw DatasetError("hard mining needs a speaker with more than \(perAnchor) candidates and at least two speakers in the history")
        }
        var norms = [Float](repeating: 0, count: count)
        for row in 0..<count {
            var sum: Float = 0
            for d in 0..<dimension { sum += embeddings[row * dimension + d] * embeddings[row * dimension + d] }
            norms[row] = max(sum.squareRoot(), 1e-7)
        }
        func cosine(_ a: Int, _ b: Int) -> Float {
            var dot: Float = 0
            for d in 0..<dimension { dot += embeddings[a * dimension + d] * embeddings[b * dimension + d] }
            return dot / (norms[a] * norms[b])
        }
        var anchors: [Int] = [], positives: [Int] = [], negatives: [Int] = []
        for _ in 0..<anchorSpeakers {
            let speaker = eligible[Int.random(in: 0..<eligible.count, using: &generator)]
            let own = bySpeaker[speaker]!
            let anchor = own[Int.random(in: 0..<own.count, using: &generator)]
            let hardestPositives = own.filter { $0 != anchor }.sorted { (cosine(anchor, $0), $0) < (cosine(anchor, $1), $1) }.prefix(perAnchor)
            let hardestNegatives = (0..<count).filter { speakers[$0] != speaker }.sorted { (cosine(anchor, $0), -$0) > (cosine(anchor, $1), -$1) }.prefix(perAnchor)
            for (positive, negative) in zip(hardestPositives, hardestNegatives) {
                anchors.append(anchor)
                positives.append(positive)
                negatives.append(negative)
            }
        }
        return Batch(anchors: anchors, positives: positives, negatives: negatives)
    }
}
