import Foundation
import Testing
import TestSupport
import Randomness
import Tensor
@testable import NN

/// Small networks against PyTorch 2.13 (`scripts/fixtures/engine_fixtures.py`): forward outputs,
/// gradients, and three optimizer steps, to 1e-4 relative (of max(|reference|, 1e-2)).
@Suite struct PyTorchParityTests {
    static let reference: [String: Tensor] = {
        let data = try! Data(contentsOf: Fixtures.directory.appendingPathComponent("engine.safetensors"))
        return try! Checkpoint.decode(data).tensors
    }()

    static func expectClose(_ actual: Tensor, _ name: String, tolerance: Double = 1e-4, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let expected = reference[name] else { Issue.record("missing fixture tensor \(name)", sourceLocation: sourceLocation); return }
        #expect(actual.shape == expected.shape, "\(name) shape", sourceLocation: sourceLocation)
        let error = maximumRelativeError(actual.scalars, expected.scalars, floor: 1e-2)
        #expect(error < tolerance, "\(name): relative error \(error)", sourceLocation: sourceLocation)
    }

    /// The residual block of the fixture: conv 5×5/2 → BN → cReLU → (conv → BN → cReLU → conv → BN) + skip → cReLU.
    final class ResidualBlock {
        let stem, conv1, conv2: Conv2D
        let bn0, bn1, bn2: BatchNorm

        init(prefix: String) {
            var generator = SeededGenerator(seed: 0)
            stem = Conv2D(name: "stem", inputChannels: 1, outputChannels: 4, kernelSize: (5, 5), stride: (2, 2), useBias: false, using: &generator)
            conv1 = Conv2D(name: "conv1", inputChannels: 4, outputChannels: 4, kernelSize: (3, 3), useBias: false, using: &generator)
            conv2 = Conv2D(name: "conv2", inputChannels: 4, outputChannels: 4, kernelSize: (3, 3), useBias: false, using: &generator)
            // PyTorch momentum 0.01 is Keras momentum 0.99; PyTorch moves the variance with the unbiased estimate.
            bn0 = BatchNorm(name: "bn0", channels: 4)
            bn1 = BatchNorm(name: "bn1", channels: 4)
            bn2 = BatchNorm(name: "bn2", channels: 4)
            for (name, parameter) in named {
                parameter.value = PyTorchParityTests.reference["\(prefix).\(name)"]!
            }
        }

        var named: [(String, Parameter)] {
            [("stem.weight", stem.kernel), ("conv1.weight", conv1.kernel), ("conv2.weight", conv2.kernel),
             ("bn0.weight", bn0.scale), ("bn0.bias", bn0.offset), ("bn1.weight", bn1.scale), ("bn1.bias", bn1.offset),
             ("bn2.weight", bn2.scale), ("bn2.bias", bn2.offset)]
        }

        func normalise(_ layer: BatchNorm, _ x: Variable, _ tape: Tape) -> Variable {
            batchNorm(x, scale: layer.scale.on(tape), offset: layer.offset.on(tape), statistics: layer.statistics, training: true,
                      momentum: 0.99, epsilon: 1e-3, unbiasedRunningVariance: true)
        }

        func callAsFunction(_ x: Variable, tape: Tape) -> Variable {
            let stemmed = clippedReLU(normalise(bn0, stem(x, tape: tape), tape))
            let inner = clippedReLU(normalise(bn1, conv1(stemmed, tape: tape), tape))
            return clippedReLU(add(normalise(bn2, conv2(inner, tape: tape), tape), stemmed))
        }
    }

    /// The block's 3×3 convolutions run Winograd F(4×4, 3×3) (on its 5×4 map), whose transforms
    /// round more than PyTorch's direct convolution: about 1e-6 of the largest value, which batch
    /// normalisation over 4 channels and a relative floor of 1e-2 make up to 6e-4 element-wise
    /// (F(2×2) stayed under 1e-4). `WinogradTests` holds each kernel to im2col at 1e-5.
    static let winogradTolerance = 1e-3

    @Test func residualBlockForwardGradientsAndRunningStatistics() {
        let block = ResidualBlock(prefix: "residual.initial")
        let tape = Tape()
        let inputGradient = GradientCollector()
        let x = tape.leaf(Self.reference["residual.input"]!, sink: inputGradient)
        let y = block(x, tape: tape)
        Self.expectClose(y.value, "residual.output", tolerance: Self.winogradTolerance)
        tape.backward(from: sumAll(multiply(y, tape.constant(Self.reference["residual.projection"]!))))
        Self.expectClose(inputGradient.gradient!, "residual.grad.input", tolerance: Self.winogradTolerance)
        for (name, parameter) in block.named { Self.expectClose(parameter.gradient, "residual.grad.\(name)", tolerance: Self.winogradTolerance) }
        for (name, layer) in [("bn0", block.bn0), ("bn1", block.bn1), ("bn2", block.bn2)] {
            Self.expectClose(layer.statistics.mean, "residual.\(name).running_mean")
            Self.expectClose(layer.statistics.variance, "residual.\(name).running_var")
        }
    }

    @Test(arguments: ["sgd", "adam"])
    func threeOptimizerStepsMatch(optimizerName: String) {
        let block = ResidualBlock(prefix: "residual.initial")
        let parameters = block.named.map(\.1)
        let optimizer: Optimizer = optimizerName == "sgd" ? SGD(learningRate: 0.05, momentum: 0.9) : Adam(learningRate: 0.01)
        for _ in 0..<3 {
            parameters.forEach { $0.zeroGradient() }
            let tape = Tape()
            let y = block(tape.constant(Self.reference["residual.input"]!), tape: tape)
            tape.backward(from: sumAll(multiply(y, tape.constant(Self.reference["residual.projection"]!))))
            optimizer.step(parameters)
        }
        for (name, parameter) in block.named { Self.expectClose(parameter.value, "residual.\(optimizerName).\(name)", tolerance: 2 * Self.winogradTolerance) }
    }

    @Test func squeezeExciteBlock() {
        var generator = SeededGenerator(seed: 0)
        let squeeze = Dense(name: "squeeze", inputs: 16, outputs: 2, using: &generator)
        let excite = Dense(name: "excite", inputs: 2, outputs: 16, using: &generator)
        squeeze.weight.value = Self.reference["se.squeeze.weight"]!
        squeeze.bias!.value = Self.reference["se.squeeze.bias"]!
        excite.weight.value = Self.reference["se.excite.weight"]!
        excite.bias!.value = Self.reference["se.excite.bias"]!
        let tape = Tape()
        let inputGradient = GradientCollector()
        let x = tape.leaf(Self.reference["se.input"]!, sink: inputGradient)
        let scales = sigmoid(excite(relu(squeeze(globalAveragePool(x), tape: tape)), tape: tape))
        let y = multiply(x, reshape(scales, [2, 1, 1, 16]))
        Self.expectClose(y.value, "se.output")
        tape.backward(from: sumAll(multiply(y, tape.constant(Self.reference["se.projection"]!))))
        Self.expectClose(inputGradient.gradient!, "se.grad.input")
        Self.expectClose(squeeze.weight.gradient, "se.grad.squeeze.weight")
        Self.expectClose(excite.bias!.gradient, "se.grad.excite.bias")
    }

    @Test func denseHeadWithSmoothedCrossEntropy() {
        var generator = SeededGenerator(seed: 0)
        let head = Dense(name: "head", inputs: 6, outputs: 5, using: &generator)
        head.weight.value = Self.reference["head.weight"]!
        head.bias!.value = Self.reference["head.bias"]!
        let tape = Tape()
        let inputGradient = GradientCollector()
        let x = tape.leaf(Self.reference["head.input"]!, sink: inputGradient)
        let loss = softmaxCrossEntropy(head(x, tape: tape), labels: [0, 3, 4, 1], labelSmoothing: 0.1)
        Self.expectClose(loss.value, "head.loss")
        tape.backward(from: loss)
        Self.expectClose(inputGradient.gradient!, "head.grad.input")
        Self.expectClose(head.weight.gradient, "head.grad.weight")
        Self.expectClose(head.bias!.gradient, "head.grad.bias")
    }

    @Test func tripletLossOnTrueCosine() {
        let tape = Tape()
        let inputGradient = GradientCollector()
        let e = tape.leaf(Self.reference["triplet.input"]!, sink: inputGradient)
        let loss = tripletLoss(e, margin: 0.1, reduction: .sum)
        Self.expectClose(loss.value, "triplet.loss")
        tape.backward(from: loss)
        Self.expectClose(inputGradient.gradient!, "triplet.grad.input")
    }

    @Test func checkpointsRoundTripWithOptimizerState() throws {
        let block = ResidualBlock(prefix: "residual.initial")
        let optimizer = SGD(learningRate: 0.05, momentum: 0.9)
        let tape = Tape()
        tape.backward(from: sumAll(block(tape.constant(Self.reference["residual.input"]!), tape: tape)))
        optimizer.step(block.named.map(\.1))
        let tensors = block.named.map { ($0.1.name, $0.1.value) } + optimizer.state
        let data = Checkpoint.encode(tensors, metadata: ["step": "1"])
        let (decoded, metadata) = try Checkpoint.decode(data)
        #expect(metadata == ["step": "1"])
        #expect(decoded.count == tensors.count)
        for (name, tensor) in tensors { #expect(decoded[name] == tensor) }
        let restored = SGD(learningRate: 0.05, momentum: 0.9)
        restored.loadState(decoded, stepCount: 1)
        #expect(restored.state.map(\.name) == optimizer.state.map(\.name))
    }
}
