/// Cosine scoring of embeddings: speaker models, trials, the seed's membership score and
/// adaptive score normalisation. Embeddings are plain [Float] vectors; nothing here knows networks.
public enum Scoring {
    /// cos(a, b) = a·b / max(‖a‖‖b‖, 1e-7) (the seed's ε-guarded cosine).
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "cosine of vectors of lengths \(a.count) and \(b.count)")
        var dot: Float = 0, aa: Float = 0, bb: Float = 0
        for index in a.indices {
            dot += a[index] * b[index]
            aa += a[index] * a[index]
            bb += b[index] * b[index]
        }
        return dot / max((aa * bb).squareRoot(), 1e-7)
    }

    /// The mean of raw (unnormalised) vectors: a speaker model from its enrolment embeddings (reference §5).
    public static func mean(_ vectors: [[Float]]) -> [Float] {
        precondition(!vectors.isEmpty, "a speaker model needs at least one enrolment embedding")
        var sum = [Float](repeating: 0, count: vectors[0].count)
        for vector in vectors { for index in sum.indices { sum[index] += vector[index] } }
        return sum.map { $0 / Float(vectors.count) }
    }

    /// The seed's SV membership score of a test embedding: (max cosine over enrolled models + 1) / 2.
    public static func membershipScore(_ test: [Float], models: [[Float]]) -> Double {
        precondition(!models.isEmpty, "membership scoring needs enrolled models")
        let best = models.map { cosine(test, $0) }.max()!
        return (Double(best) + 1) / 2
    }

    /// Adaptive symmetric score normalisation (AS-norm; Matějka et al., Interspeech 2017):
    /// s' = ½·((s − μ_e)/σ_e + (s − μ_t)/σ_t), where μ, σ are the mean and deviation of the
    /// `topN` highest cosines of the enrolment (e) or test (t) embedding against the cohort.
    public static func adaptiveSymmetricNormalisation(score: Double, enrolment: [Float], test: [Float], cohort: [[Float]], topN: Int) -> Double {
        adaptiveSymmetricNormalisation(score: score, enrolment: cohortStatistics(enrolment, cohort: cohort, topN: topN),
                                       test: cohortStatistics(test, cohort: cohort, topN: topN))
    }

    /// AS-norm from each side's cohort statistics (computed once per embedding by the caller).
    public static func adaptiveSymmetricNormalisation(score: Double, enrolment: (mean: Double, deviation: Double), test: (mean: Double, deviation: Double)) -> Double {
        0.5 * ((score - enrolment.mean) / enrolment.deviation + (score - test.mean) / test.deviation)
    }

    /// The mean and deviation of the `topN` highest cosines of `vector` against the cohort
    /// (the deviation floored at 1e-6).
    public static func cohortStatistics(_ vector: [Float], cohort: [[Float]], topN: Int) -> (mean: Double, deviation: Double) {
        let top = cohort.map { Double(cosine(vector, $0)) }.sorted(by: >).prefix(max(1, min(topN, cohort.count)))
        let mean = top.reduce(0, +) / Double(top.count)
        let variance = top.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(top.count)
        return (mean, max(variance.squareRoot(), 1e-6))
    }
}
