import Foundation
import Testing
import TestSupport
import Audio
import Datasets
import Randomness
@testable import Training

@Suite struct BaselineTests {
    @Test func meanLogMelBaselineOnTheDefaultCorpusIsLearnableButNotTrivial() throws {
        let folder = TemporaryDirectory()
        let utterances = try SyntheticCorpus().write(to: folder.url.path)
        let test = utterances.filter { $0.split == "test" }
        #expect(Set(test.map(\.speaker)).count == 12)
        let eer = try MeanLogMelBaseline.equalErrorRate(test, settings: FeatureSettings(), threads: 2)
        print("mean-log-mel baseline EER on the default synthetic corpus (test split): \(eer)")
        #expect(eer >= 0.05 && eer <= 0.30, "baseline EER \(eer)")
    }
}

/// `evaluate.embedding_norm: standardise`: statistics fitted on training embeddings.
@Suite struct EmbeddingStandardisationTests {
    @Test func theFittedEmbeddingsBecomeZeroMeanAndUnitDeviation() {
        var generator = SeededGenerator(seed: 4)
        var training: [[Float]] = []
        for _ in 0..<50 {
            var vector: [Float] = []
            for dimension in 0..<6 {
                let spread = Float(dimension + 1) * Float(generator.nextUnitDouble() - 0.5)
                vector.append(Float(dimension) * 3 + spread)
            }
            training.append(vector)
        }
        let standardisation = EmbeddingStandardisation(fittedOn: training)
        let standardised = training.map(standardisation.apply)
        for dimension in 0..<6 {
            let values: [Double] = standardised.map { Double($0[dimension]) }
            let (mean, deviation) = Self.moments(values)
            #expect(abs(mean) < 1e-5 && abs(deviation - 1) < 1e-4, "dimension \(dimension): mean \(mean), deviation \(deviation)")
        }
        // μ and σ are numpy's mean and std (ddof 0) of the first dimension, computed here in double precision.
        let (mean, deviation) = Self.moments(training.map { Double($0[0]) })
        #expect(abs(Double(standardisation.mean[0]) - mean) < 1e-6)
        #expect(abs(Double(standardisation.deviation[0]) - deviation) < 1e-6)
    }

    /// Mean and population standard deviation, two-pass.
    static func moments(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        var squares = 0.0
        for value in values { squares += (value - mean) * (value - mean) }
        return (mean, (squares / Double(values.count)).squareRoot())
    }

    @Test func aConstantDimensionIsOnlyCentred() {
        let standardisation = EmbeddingStandardisation(fittedOn: [[2, 1], [2, 3]])
        #expect(standardisation.deviation == [1, 1])
        #expect(standardisation.apply([5, 2]) == [3, 0])
    }
}
