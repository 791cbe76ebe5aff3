/// Speaker identification accuracy: the fraction of test utterances whose true speaker is among
/// the k highest-scoring enrolled speakers (top-1 is the seed's SI argmax accuracy).
///
/// `scores` is row-major [utterances × speakers]; `truth[u]` is the column of utterance u's speaker.
public func identificationAccuracy(scores: [Float], speakerCount: Int, truth: [Int], topK: Int = 1) -> Double {
    precondition(speakerCount > 0 && scores.count == truth.count * speakerCount,
                 "scores hold \(scores.count) values, expected \(truth.count) × \(speakerCount)")
    precondition(!truth.isEmpty, "identification accuracy needs at least one test utterance")
    var correct = 0
    for (utterance, speaker) in truth.enumerated() {
        let row = scores[(utterance * speakerCount)..<((utterance + 1) * speakerCount)]
        let own = row[row.startIndex + speaker]
        // Rank = how many speakers score strictly higher; ties resolve in the true speaker's favour
        // only when it also comes first in index order, as argmax does.
        var rank = 0
        for (column, value) in row.enumerated() where value > own || (value == own && column < speaker) {
            rank += 1
        }
        if rank < topK { correct += 1 }
    }
    return Double(correct) / Double(truth.count)
}
