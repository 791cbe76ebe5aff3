import NN
import Randomness
import Tensor

/// The two networks the engine benchmark trains, written directly against `NN` (the model-graph
/// language will build the same layers from YAML).
protocol BenchmarkNetwork {
    var parameters: [Parameter] { get }
    func embed(_ x: Variable, tape: Tape, mode: Mode) -> Variable
    /// Multiply–accumulates of one forward pass of one sample.
    var forwardMultiplyAccumulates: Int { get }
}

/// Conv → BN → activation, the unit both networks repeat.
final class ConvUnit {
    let conv: Conv2D
    let norm: BatchNorm
    init(_ name: String, _ cin: Int, _ cout: Int, kernel: Int, stride: Int = 1, padding: Padding = .same, generator: inout SeededGenerator) {
        conv = Conv2D(name: name, inputChannels: cin, outputChannels: cout, kernelSize: (kernel, kernel), stride: (stride, stride), padding: padding, l2: 1e-5, using: &generator)
        norm = BatchNorm(name: name + ".bn", channels: cout)
    }
    var parameters: [Parameter] { conv.parameters + norm.parameters }
    func callAsFunction(_ x: Variable, tape: Tape, mode: Mode) -> Variable { norm(conv(x, tape: tape), tape: tape, mode: mode) }
}

/// DeepSpeaker ResCNN, the seed's HEAD (reference §3.1): 4 × (conv 5×5/2 → BN → cReLU, then
/// 3 identity blocks), global average pooling, Dense 512 → BN → ReLU.
final class DeepSpeakerNetwork: BenchmarkNetwork {
    let stages: [(ConvUnit, [(ConvUnit, ConvUnit)])]
    let head: Dense
    let headNorm: BatchNorm
    let inputShape: (Int, Int)

    init(frames: Int = 299, bands: Int = 40, generator: inout SeededGenerator) {
        var stages: [(ConvUnit, [(ConvUnit, ConvUnit)])] = []
        var channels = 1
        for (index, filters) in [64, 128, 256, 512].enumerated() {
            let stem = ConvUnit("conv\(index)", channels, filters, kernel: 5, stride: 2, generator: &generator)
            let blocks = (0..<3).map { block in
                (ConvUnit("res\(index)_\(block)a", filters, filters, kernel: 3, generator: &generator),
                 ConvUnit("res\(index)_\(block)b", filters, filters, kernel: 3, generator: &generator))
            }
            stages.append((stem, blocks))
            channels = filters
        }
        self.stages = stages
        head = Dense(name: "fc1", inputs: 512, outputs: 512, using: &generator)
        headNorm = BatchNorm(name: "bn_fc1", channels: 512)
        inputShape = (frames, bands)
    }

    var parameters: [Parameter] {
        stages.flatMap { stem, blocks in stem.parameters + blocks.flatMap { $0.0.parameters + $0.1.parameters } } + head.parameters + headNorm.parameters
    }

    func embed(_ x: Variable, tape: Tape, mode: Mode) -> Variable {
        var y = x
        for (stem, blocks) in stages {
            y = clippedReLU(stem(y, tape: tape, mode: mode))
            for (first, second) in blocks {
                let inner = clippedReLU(first(y, tape: tape, mode: mode))
                y = clippedReLU(add(second(inner, tape: tape, mode: mode), y))
            }
        }
        return relu(headNorm(head(globalAveragePool(y), tape: tape), tape: tape, mode: mode))
    }

    var forwardMultiplyAccumulates: Int {
        var (h, w, c) = (inputShape.0, inputShape.1, 1)
        var total = 0
        for filters in [64, 128, 256, 512] {
            h = (h + 1) / 2; w = (w + 1) / 2
            total += h * w * 25 * c * filters + 6 * h * w * 9 * filters * filters
            c = filters
        }
        return total + 512 * 512
    }
}

/// The seed's SE-ResNet (reference §3.2): stem conv 3×3 → BN → ELU → max pool, three residual
/// blocks (256, 256, 512) of two bottlenecks with one squeeze-excite, then Dense 512 → BN → ELU.
final class SEResNetNetwork: BenchmarkNetwork {
    struct Block {
        let shortcut: ConvUnit
        let bottlenecks: [(ConvUnit, ConvUnit, ConvUnit)]
        let squeeze: Dense
        let excite: Dense
    }
    let stem: ConvUnit
    let blocks: [Block]
    let head: Dense
    let headNorm: BatchNorm
    let inputShape: (Int, Int)
    var dropoutGenerator: SeededGenerator

    init(frames: Int = 299, bands: Int = 40, generator: inout SeededGenerator) {
        stem = ConvUnit("stem", 1, 64, kernel: 3, generator: &generator)
        var channels = 64
        var blocks: [Block] = []
        for (index, outdim) in [256, 256, 512].enumerated() {
            let shortcut = ConvUnit("block\(index).shortcut", channels, outdim, kernel: 1, stride: 2, padding: .valid, generator: &generator)
            var bottlenecks: [(ConvUnit, ConvUnit, ConvUnit)] = []
            var cin = channels
            for i in 0..<2 {
                bottlenecks.append((ConvUnit("block\(index).\(i)a", cin, outdim / 4, kernel: 1, stride: i == 0 ? 2 : 1, generator: &generator),
                                    ConvUnit("block\(index).\(i)b", outdim / 4, outdim / 4, kernel: 3, generator: &generator),
                                    ConvUnit("block\(index).\(i)c", outdim / 4, outdim, kernel: 1, generator: &generator)))
                cin = outdim
            }
            blocks.append(Block(shortcut: shortcut, bottlenecks: bottlenecks,
                                squeeze: Dense(name: "block\(index).se1", inputs: outdim, outputs: outdim / 8, using: &generator),
                                excite: Dense(name: "block\(index).se2", inputs: outdim / 8, outputs: outdim, using: &generator)))
            channels = outdim
        }
        self.blocks = blocks
        head = Dense(name: "fc1", inputs: 512, outputs: 512, using: &generator)
        headNorm = BatchNorm(name: "fc1.bn", channels: 512)
        inputShape = (frames, bands)
        dropoutGenerator = generator.split("dropout")
    }

    var parameters: [Parameter] {
        stem.parameters + blocks.flatMap { block in
            block.shortcut.parameters + block.bottlenecks.flatMap { $0.0.parameters + $0.1.parameters + $0.2.parameters }
                + block.squeeze.parameters + block.excite.parameters
        } + head.parameters + headNorm.parameters
    }

    func embed(_ x: Variable, tape: Tape, mode: Mode) -> Variable {
        var y = maxPool2d(elu(stem(x, tape: tape, mode: mode)), size: (2, 2), stride: (2, 2))
        var generator = dropoutGenerator
        for block in blocks {
            let shortcut = block.shortcut(y, tape: tape, mode: mode)
            var main = y
            for (index, (a, b, c)) in block.bottlenecks.enumerated() {
                if index > 0 { main = dropout(main, rate: 0.1, training: mode == .training, using: &generator) }
                main = c(elu(b(elu(a(main, tape: tape, mode: mode)), tape: tape, mode: mode)), tape: tape, mode: mode)
            }
            let scales = sigmoid(block.excite(relu(block.squeeze(globalAveragePool(main), tape: tape)), tape: tape))
            main = multiply(main, reshape(scales, [main.shape[0], 1, 1, main.shape[3]]))
            y = elu(add(shortcut, main))
        }
        return elu(headNorm(head(globalAveragePool(y), tape: tape), tape: tape, mode: mode))
    }

    var forwardMultiplyAccumulates: Int {
        var (h, w) = ((inputShape.0 + 1) / 2, (inputShape.1 + 1) / 2)
        var total = inputShape.0 * inputShape.1 * 9 * 64
        var channels = 64
        for outdim in [256, 256, 512] {
            let (oh, ow) = ((h + 1) / 2, (w + 1) / 2)
            total += oh * ow * channels * outdim  // shortcut
            total += oh * ow * (channels * outdim / 4 + 9 * outdim / 4 * outdim / 4 + outdim / 4 * outdim)
            total += oh * ow * (outdim * outdim / 4 + 9 * outdim / 4 * outdim / 4 + outdim / 4 * outdim)
            (h, w, channels) = (oh, ow, outdim)
        }
        return total + 512 * 512
    }
}
