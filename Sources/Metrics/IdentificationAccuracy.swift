/// Speaker identification accuracy: the fraction of test utterances whose true speaker is among
/// the k highest-scoring enrolled speakers (top-1 is the seed's SI argmax accuracy).
///
/// `scores` is row-major [utterances × speakers]; `truth[u]` is the column of utterance u's speaker.
public func identificationAccuracy(scores: [Float], speakerCount: Int, truth: [Int], topK: Int = 1) -> Double {
    let correct = identificationHits(scores: scores, speakerCount: speakerCount, truth: truth, topK: topK)
    return Double(correct.filter { $0 }.count) / Double(truth.count)
}

/// For each test utterance, whether its true speaker is among the k highest-scoring enrolled
/// speakers (what `identificationAccuracy` averages and a speaker bootstrap resamples).
public func identificationHits(scores: [Float], speakerCount: Int, truth: [Int], topK: Int = 1) -> [Bool] {
    precondition(speakerCount > 0 && scores.count == truth.count * speakerCount,
                 "scores hold \(scores.count) values, expected \(truth.count) × \(speakerCount)")
    precondition(!truth.isEmpty, "identification accuracy needs at least one test utterance")
    var hits: [Bool] = []
    hits.reserveCapacity(truth.count)
    for (utterance, speaker) in truth.enumerated() {
        let row = scores[(utterance * speakerCount)..<((utterance + 1) * speakerCount)]
        let own = row[row.startIndex + speaker]
        // Rank = how many speakers score strictly higher; ties resolve in the true speaker's favour
        // only when it also comes first in index order, as argmax does.
        var rank = 0
        for (column, value) in row.enumerated() where value > own || (value == own && column < speaker) {
            rank += 1
        }
        hits.append(rank < topK)
    }
    return hits
}
