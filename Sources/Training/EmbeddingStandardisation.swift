/// Per-dimension standardisation of embeddings with statistics fitted on the training
/// utterances, for `evaluate.embedding_norm: standardise`: each embedding becomes
/// (x − μ) / σ before it is scored, μ and σ the mean and (population) standard deviation of every
/// training utterance's embedding. It is the classical MFCC baseline's z-normalisation, and a
/// centring that helps cosine scoring of any network whose embeddings share an offset.
public struct EmbeddingStandardisation: Sendable, Equatable {
    /// μ per dimension.
    public let mean: [Float]
    /// σ per dimension (1 where the training embeddings do not vary, so the dimension is only centred).
    public let deviation: [Float]

    /// Fits μ and σ on `embeddings` (at least one, all of one size), summed in double precision in order.
    public init(fittedOn embeddings: [[Float]]) {
        precondition(!embeddings.isEmpty, "standardisation needs at least one training embedding")
        let dimension = embeddings[0].count
        var sums = [Double](repeating: 0, count: dimension), squares = [Double](repeating: 0, count: dimension)
        for vector in embeddings {
            precondition(vector.count == dimension, "embeddings of sizes \(dimension) and \(vector.count)")
            for index in 0..<dimension {
                sums[index] += Double(vector[index])
                squares[index] += Double(vector[index]) * Double(vector[index])
            }
        }
        let count = Double(embeddings.count)
        let means = sums.map { $0 / count }
        mean = means.map(Float.init)
        deviation = zip(squares, means).map { square, mean in
            let variance = max(0, square / count - mean * mean)
            return variance > 1e-24 ? Float(variance.squareRoot()) : 1
        }
    }

    /// Statistics fitted before (a published run's `scoring.safetensors`).
    public init(mean: [Float], deviation: [Float]) {
        precondition(mean.count == deviation.count, "\(mean.count) means and \(deviation.count) deviations")
        self.mean = mean
        self.deviation = deviation
    }

    /// (x − μ) / σ.
    public func apply(_ vector: [Float]) -> [Float] {
        precondition(vector.count == mean.count, "a \(vector.count)-dimensional embedding against statistics of \(mean.count)")
        return (0..<vector.count).map { (vector[$0] - mean[$0]) / deviation[$0] }
    }
}
