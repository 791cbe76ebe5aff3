import Testing
import TestSupport
import Randomness
import Tensor
@testable import NN

@Suite struct TrainingStepTests {
    /// A tiny conv → BN → ReLU → pool → dense classifier, trained for `steps` SGD steps on fixed data.
    static func train(steps: Int, seed: UInt64) -> (losses: [Float], weights: [Tensor], tapeSizes: [Int]) {
        var generator = SeededGenerator(seed: seed)
        let conv = Conv2D(name: "conv", inputChannels: 1, outputChannels: 8, kernelSize: (3, 3), stride: (2, 2), l2: 1e-5, using: &generator)
        let norm = BatchNorm(name: "bn", channels: 8)
        let head = Dense(name: "head", inputs: 8, outputs: 4, using: &generator)
        let parameters = conv.parameters + norm.parameters + head.parameters
        let optimizer = SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
        let input = randomTensor([16, 12, 10, 1], seed: seed + 1)
        // Labels depend on the input's mean so that the task is learnable.
        let labels = (0..<16).map { sample -> Int in
            let mean = input.scalars[(sample * 120)..<((sample + 1) * 120)].reduce(0, +) / 120
            return mean > 0.1 ? 0 : mean > 0 ? 1 : mean > -0.1 ? 2 : 3
        }
        var losses: [Float] = [], tapeSizes: [Int] = []
        for _ in 0..<steps {
            parameters.forEach { $0.zeroGradient() }
            let tape = Tape()
            let features = globalAveragePool(relu(norm(conv(tape.constant(input), tape: tape), tape: tape, mode: .training)))
            let loss = softmaxCrossEntropy(head(features, tape: tape), labels: labels)
            tape.backward(from: loss)
            WeightDecay.apply(to: parameters)
            optimizer.step(parameters)
            losses.append(loss.value.scalars[0])
            tapeSizes.append(tape.count)
        }
        return (losses, parameters.map(\.value), tapeSizes)
    }

    @Test func sameSeedSameThreadsGivesIdenticalWeightsAndTheLossFalls() {
        let first = Self.train(steps: 40, seed: 3)
        let second = Self.train(steps: 40, seed: 3)
        #expect(first.weights == second.weights)
        #expect(first.losses == second.losses)
        #expect(first.losses.last! < first.losses.first! * 0.7, "losses \(first.losses.first!) → \(first.losses.last!)")
        #expect(first.tapeSizes.allSatisfy { $0 == 0 })  // no graph retained after a step
    }

    @Test func scheduleShapes() {
        #expect(abs(LearningRateSchedule.step(every: 10, factor: 0.1).rate(base: 1, epoch: 25) - 0.01) < 1e-12)
        #expect(abs(LearningRateSchedule.exponential(factor: 0.5).rate(base: 1, epoch: 3) - 0.125) < 1e-12)
        let cosine = LearningRateSchedule.cosine(warmup: 2, total: 12, minimum: 0)
        #expect(cosine.rate(base: 1, epoch: 0) == 0.5 && cosine.rate(base: 1, epoch: 1) == 1)
        #expect(abs(cosine.rate(base: 1, epoch: 7) - 0.5) < 1e-12 && cosine.rate(base: 1, epoch: 12) < 1e-12)
        var plateau = PlateauReduction(factor: 0.1, patience: 2)
        var rate = 1.0
        for loss in [1.0, 0.9, 0.95, 0.91] { rate = plateau.update(loss: loss, rate: rate) }
        #expect(abs(rate - 0.1) < 1e-12)
    }

    @Test func adamWDecaysApartFromTheMoments() {
        let parameter = Parameter(name: "w", value: Tensor(shape: [1], scalars: [1]))
        let optimizer = Adam(learningRate: 0.1, weightDecay: 0.5, decoupled: true)
        optimizer.step([parameter])  // zero gradient: only the decay moves the weight
        #expect(abs(parameter.value.scalars[0] - 0.95) < 1e-6)
    }
}
