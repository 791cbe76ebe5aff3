import Foundation
import Testing
import TestSupport
import Audio
import Datasets
import Models
import NN
import Randomness
import Tensor

/// A width-0.25 DeepSpeaker trained with softmax on the synthetic corpus for a few hundred steps
/// lowers its loss (fixed seed, small sizes: 8 speakers, 1-second crops, one block per stage).
@Suite struct ModelTrainingTests {
    @Test func aQuarterWidthDeepSpeakerLearnsTheSyntheticSpeakers() throws {
        let folder = TemporaryDirectory()
        let utterances = try SyntheticCorpus(speakers: 8, utterancesPerSpeaker: 6, seed: 4).write(to: folder.url.path)
        let settings = FeatureSettings(voiceDecision: .adaptive(aggressiveness: 1), cutPad: .seed(seconds: 1))
        let features = ParallelFeatureExtraction.run(paths: utterances.map(\.path), settings: settings, threads: 2).map { try! $0.get() }
        let speakers = Array(Set(utterances.map(\.speaker))).sorted()
        let labels = utterances.map { speakers.firstIndex(of: $0.speaker)! }
        let frames = features[0].frames

        let model = try ModelGraph(file: Fixtures.repositoryRoot.appendingPathComponent("Experiments/models/deepspeaker.yaml").path,
                                   input: [frames, 40, 1], width: 0.25, depths: [1, 1, 1, 1], seed: 7)
        var generator = SeededGenerator(seed: 7)
        let classifier = Dense(name: "softmax", inputs: model.embeddingSize, outputs: speakers.count, using: &generator)
        let parameters = model.parameters + classifier.parameters
        let optimizer = Adam(learningRate: 1e-3)
        var sampler = BatchSampler(itemCount: utterances.count, batchSize: 16, generator: generator.split("batches"))
        var losses: [Float] = []
        while losses.count < 240 {
            guard let batch = sampler.next() else { continue }
            let input = Tensor(shape: [batch.count, frames, 40, 1], scalars: batch.flatMap { features[$0].values })
            parameters.forEach { $0.zeroGradient() }
            let tape = Tape()
            let loss = softmaxCrossEntropy(classifier(model.embed(tape.constant(input), tape: tape, mode: .training), tape: tape),
                                           labels: batch.map { labels[$0] })
            tape.backward(from: loss)
            WeightDecay.apply(to: parameters)
            optimizer.step(parameters)
            losses.append(loss.value.scalars[0])
        }
        let first = losses.prefix(20).reduce(0, +) / 20, last = losses.suffix(20).reduce(0, +) / 20
        print("quarter-width DeepSpeaker softmax loss: first 20 steps \(first), last 20 steps \(last)")
        #expect(losses[0] > 1.5, "first loss \(losses[0])")   // near ln 8 = 2.08 before training
        #expect(last < first * 0.5, "loss \(first) → \(last)")
    }
}
