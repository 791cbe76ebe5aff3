import Testing
import TestSupport
import Randomness
@testable import Tensor

/// Every op's backward against central finite differences (step 1e-2 in Float32; tolerance 1e-2
/// of max(1, |numeric|)).
@Suite struct GradientTests {
    static let tolerance = 1e-2

    func check(_ inputs: [Tensor], _ op: @escaping ([Variable]) -> Variable, sourceLocation: SourceLocation = #_sourceLocation) {
        let errors = gradientErrors(inputs, op)
        for (index, error) in errors.enumerated() {
            #expect(error < Self.tolerance, "input \(index): worst error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ["relu", "clippedReLU", "elu", "leakyReLU", "sigmoid", "tanh"])
    func activations(name: String) {
        // Keep inputs away from the kinks at 0 and 20 so differences do not straddle them.
        var x = randomTensor([2, 3, 4, 5], seed: 3, scale: 3)
        x = x.map { abs($0) < 0.05 ? $0 + 0.1 : $0 }
        if name == "clippedReLU" { x = x.map { $0 * 8 }.map { abs($0 - 20) < 0.1 ? $0 + 0.3 : $0 } }
        let op: (Variable) -> Variable = switch name {
        case "relu": { relu($0) }
        case "clippedReLU": { clippedReLU($0, ceiling: 20) }
        case "elu": { elu($0) }
        case "leakyReLU": { leakyReLU($0, slope: 0.1) }
        case "sigmoid": { sigmoid($0) }
        default: { tanh($0) }
        }
        check([x]) { op($0[0]) }
    }

    @Test(arguments: [
        (3, 3, 1, 1, Padding.same, 1), (5, 5, 2, 2, .same, 1), (3, 3, 2, 1, .valid, 1), (1, 1, 1, 1, .same, 1),
        (1, 1, 2, 2, .valid, 1), (3, 3, 1, 1, .same, 2), (7, 7, 1, 1, .same, 1),
    ])
    func convolution(kernelHeight: Int, kernelWidth: Int, strideHeight: Int, strideWidth: Int, padding: Padding, dilation: Int) {
        let x = randomTensor([2, 7, 6, 3], seed: 1)
        let w = randomTensor([kernelHeight, kernelWidth, 3, 4], seed: 2, scale: 0.5)
        let b = randomTensor([4], seed: 3)
        check([x, w, b]) {
            conv2d($0[0], kernel: $0[1], bias: $0[2], stride: (strideHeight, strideWidth), dilation: (dilation, dilation), padding: padding)
        }
    }

    @Test func tfSamePaddingPutsTheExtraPadAfter() {
        // 5×5 stride 2 on 40: output 20, total pad 3 → 1 before, 2 after (reference §3).
        let (size, before) = Padding.same.output(input: 40, kernel: 5, stride: 2)
        #expect(size == 20 && before == 1)
        #expect(Padding.same.output(input: 299, kernel: 5, stride: 2).size == 150)
        #expect(Padding.valid.output(input: 19, kernel: 1, stride: 2).size == 10)
    }

    @Test func denseAndBias() {
        check([randomTensor([4, 5], seed: 4), randomTensor([5, 3], seed: 5), randomTensor([3], seed: 6)]) {
            dense($0[0], weight: $0[1], bias: $0[2])
        }
    }

    @Test(arguments: [true, false])
    func batchNormalisation(training: Bool) {
        let statistics = BatchNormStatistics(channels: 3)
        statistics.mean = Tensor(shape: [3], scalars: [0.1, -0.2, 0.3])
        statistics.variance = Tensor(shape: [3], scalars: [1.5, 0.5, 2])
        check([randomTensor([2, 3, 2, 3], seed: 7, scale: 2), randomTensor([3], seed: 8), randomTensor([3], seed: 9)]) {
            // A fresh copy of the statistics per call, so finite differences see the same state.
            let copy = BatchNormStatistics(channels: 3)
            copy.mean = statistics.mean
            copy.variance = statistics.variance
            return batchNorm($0[0], scale: $0[1], offset: $0[2], statistics: copy, training: training)
        }
    }

    @Test func poolingAndReductions() {
        // Distinct values at least 0.05 apart, so no finite difference moves a maximum.
        var generator = SeededGenerator(seed: 10)
        let x = Tensor(shape: [2, 5, 4, 3], scalars: (0..<120).map { Float($0) * 0.05 - 3 }.shuffled(using: &generator))
        check([x]) { maxPool2d($0[0], size: (2, 2), stride: (2, 2), padding: .same) }
        check([x]) { maxPool2d($0[0], size: (3, 3), stride: (2, 2), padding: .same) }
        check([x]) { averagePool2d($0[0], size: (3, 3), stride: (2, 2), padding: .same) }
        check([x]) { globalAveragePool($0[0]) }
        check([x]) { globalMaxPool($0[0]) }
        check([x]) { mean($0[0], axes: [1]) }
        check([x]) { mean($0[0], axes: [1, 2]) }
        check([x]) { statisticsPooling($0[0]) }
    }

    @Test func broadcastsAndShapes() {
        let x = randomTensor([2, 3, 2, 4], seed: 11)
        let s = randomTensor([2, 1, 1, 4], seed: 12)
        check([x, s]) { multiply($0[0], $0[1]) }
        check([x, randomTensor([2, 3, 2, 4], seed: 13)]) { add($0[0], $0[1]) }
        check([x]) { reshape($0[0], [2, 24]) }
        check([randomTensor([3, 2], seed: 14), randomTensor([3, 5], seed: 15)]) { concatenate([$0[0], $0[1]]) }
        check([randomTensor([6, 4], seed: 16)]) { rows($0[0], 2..<4) }
        check([randomTensor([3, 4], seed: 17)]) { l2Normalize($0[0]) }
        check([randomTensor([3, 4], seed: 18)]) { softmax($0[0]) }
    }

    @Test func losses() {
        check([randomTensor([4, 5], seed: 19)]) { softmaxCrossEntropy($0[0], labels: [0, 3, 4, 1], labelSmoothing: 0.1) }
        // Margin 1 keeps every triplet active and away from the hinge.
        check([randomTensor([9, 4], seed: 20)]) { tripletLoss($0[0], margin: 1.5, reduction: .sum) }
        check([randomTensor([9, 4], seed: 21)]) { tripletLoss($0[0], margin: 1.5, reduction: .mean) }
        check([randomTensor([4, 3], seed: 22), randomTensor([3, 5], seed: 23)]) {
            additiveAngularMarginLoss($0[0], weights: $0[1], labels: [1, 0, 4, 2], margin: 0.2, scale: 4)
        }
    }

    @Test func dropoutIsSeededAndScalesKeptValues() {
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 1)
        let x = Tensor(repeating: 1, shape: [1000])
        let first = dropout(x.constant, rate: 0.25, training: true, using: &a).value
        #expect(first == dropout(x.constant, rate: 0.25, training: true, using: &b).value)
        #expect(Set(first.scalars) == [0, 1 / 0.75])
        let kept = first.scalars.filter { $0 > 0 }.count
        #expect(kept > 700 && kept < 800)
        var c = SeededGenerator(seed: 1)
        #expect(dropout(x.constant, rate: 0.25, training: false, using: &c).value == x)
    }

    @Test func backwardClearsTheTapeAndAccumulates() {
        let tape = Tape()
        let collector = GradientCollector()
        let x = tape.leaf(Tensor(shape: [2], scalars: [1, 2]), sink: collector)
        tape.backward(from: sumAll(add(x, x)))
        #expect(tape.count == 0)
        #expect(collector.gradient == Tensor(shape: [2], scalars: [2, 2]))
    }
}

@Suite struct VectorExponentialTests {
    @Test func matchesLibmOverTheUsedRange() {
        for step in -8700...8800 {
            let x = Float(step) / 100
            let expected = Foundation.exp(Double(x))
            #expect(abs(Double(vectorExp(x)) - expected) <= 5e-7 * expected, "exp(\(x))")
        }
    }
}

import Foundation
