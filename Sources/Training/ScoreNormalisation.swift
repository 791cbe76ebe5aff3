import Metrics

/// Adaptive symmetric score normalisation (AS-norm) against a cohort of embeddings, for
/// `evaluate.score_norm: as-norm`: the cohort is the training speakers' mean embeddings (never a
/// test speaker), and each side's statistics over its `topN` closest cohort members are computed
/// once per enrolment model and per test utterance.
public final class ScoreNormalisation {
    /// The cohort's embeddings.
    public let cohort: [[Float]]
    /// How many of the closest cohort members each side's statistics use.
    public let topN: Int
    private var statistics: [String: (mean: Double, deviation: Double)] = [:]

    /// A normalisation against `cohort`.
    public init(cohort: [[Float]], topN: Int) {
        precondition(!cohort.isEmpty, "an AS-norm cohort needs at least one embedding")
        self.cohort = cohort
        self.topN = topN
    }

    /// The cohort of per-speaker mean embeddings of labelled utterances.
    public convenience init(speakerMeansOf embeddings: [[Float]], labels: [Int], topN: Int) {
        let bySpeaker = Dictionary(grouping: embeddings.indices, by: { labels[$0] })
        self.init(cohort: bySpeaker.keys.sorted().map { speaker in Scoring.mean(bySpeaker[speaker]!.map { embeddings[$0] }) }, topN: topN)
    }

    /// The normalised score of a trial; `enrolment` and `test` name the two sides (for the memo).
    public func normalise(_ score: Double, enrolment: String, _ enrolled: [Float], test: String, _ tested: [Float]) -> Double {
        Scoring.adaptiveSymmetricNormalisation(score: score, enrolment: side("e:" + enrolment, enrolled), test: side("t:" + test, tested))
    }

    private func side(_ name: String, _ vector: [Float]) -> (mean: Double, deviation: Double) {
        if let known = statistics[name] { return known }
        let computed = Scoring.cohortStatistics(vector, cohort: cohort, topN: topN)
        statistics[name] = computed
        return computed
    }
}
