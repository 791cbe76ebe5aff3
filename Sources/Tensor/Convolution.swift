/// How a convolution or pooling window treats the borders.
public enum Padding: String, Sendable, Codable {
    /// TensorFlow `same`: output ⌈in/stride⌉, the extra pad (if odd) at the bottom/right.
    case same
    /// No padding: output ⌊(in − effective kernel)/stride⌋ + 1.
    case valid

    /// Output extent and the padding before the first input element.
    public func output(input: Int, kernel: Int, stride: Int, dilation: Int = 1) -> (size: Int, padBefore: Int) {
        let effective = (kernel - 1) * dilation + 1
        switch self {
        case .valid:
            return (input >= effective ? (input - effective) / stride + 1 : 0, 0)
        case .same:
            let size = (input + stride - 1) / stride
            let total = max((size - 1) * stride + effective - input, 0)
            return (size, total / 2)
        }
    }
}

/// The geometry of a 2-D convolution over NHWC tensors.
public struct ConvolutionGeometry: Equatable, Sendable {
    public let batch: Int, height: Int, width: Int, inputChannels: Int
    public let kernelHeight: Int, kernelWidth: Int, outputChannels: Int
    public let strideHeight: Int, strideWidth: Int, dilationHeight: Int, dilationWidth: Int
    public let outputHeight: Int, outputWidth: Int, padTop: Int, padLeft: Int

    /// Derives the output shape from an input [N, H, W, C_in] and kernel [kh, kw, C_in, C_out].
    public init(input: [Int], kernel: [Int], stride: (Int, Int), dilation: (Int, Int), padding: Padding) {
        precondition(input.count == 4 && kernel.count == 4 && input[3] == kernel[2],
                     "conv2d needs input [N, H, W, C] and kernel [kh, kw, C, C_out]; got \(input) and \(kernel)")
        (batch, height, width, inputChannels) = (input[0], input[1], input[2], input[3])
        (kernelHeight, kernelWidth, outputChannels) = (kernel[0], kernel[1], kernel[3])
        (strideHeight, strideWidth) = stride
        (dilationHeight, dilationWidth) = dilation
        (outputHeight, padTop) = padding.output(input: height, kernel: kernelHeight, stride: strideHeight, dilation: dilationHeight)
        (outputWidth, padLeft) = padding.output(input: width, kernel: kernelWidth, stride: strideWidth, dilation: dilationWidth)
    }

    /// Columns of the im2col matrix: kh·kw·C_in.
    var patchSize: Int { kernelHeight * kernelWidth * inputChannels }
    /// Output positions per sample.
    var positions: Int { outputHeight * outputWidth }
    /// Whether the convolution is a plain GEMM on the input (1×1, stride 1, no padding).
    var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1 && padTop == 0 && padLeft == 0 }
    /// Elements of one sample's input.
    var inputSize: Int { height * width * inputChannels }

    /// Gathers the patches of one sample into rows of `columns` [positions × patchSize]. Taps
    /// of one kernel row that fall inside the input are adjacent pixels when the dilation is 1,
    /// so each kernel row is one contiguous copy plus zeros for the taps in the padding.
    func im2col(_ input: UnsafePointer<Float>, _ columns: UnsafeMutablePointer<Float>) {
        let c = inputChannels
        var row = columns
        for oh in 0..<outputHeight {
            for ow in 0..<outputWidth {
                var destination = row
                let firstColumn = ow * strideWidth - padLeft
                for i in 0..<kernelHeight {
                    let ih = oh * strideHeight - padTop + i * dilationHeight
                    guard ih >= 0 && ih < height else {
                        destination.update(repeating: 0, count: kernelWidth * c)
                        destination += kernelWidth * c
                        continue
                    }
                    if dilationWidth == 1 {
                        // Taps [low, high) are inside the input; the rest read the zero padding.
                        let low = min(kernelWidth, max(0, -firstColumn))
                        let high = max(low, min(kernelWidth, width - firstColumn))
                        if low > 0 { destination.update(repeating: 0, count: low * c) }
                        if high > low { (destination + low * c).update(from: input + (ih * width + firstColumn + low) * c, count: (high - low) * c) }
                        if high < kernelWidth { (destination + high * c).update(repeating: 0, count: (kernelWidth - high) * c) }
                        destination += kernelWidth * c
                    } else {
                        for j in 0..<kernelWidth {
                            let iw = firstColumn + j * dilationWidth
                            if iw >= 0 && iw < width {
                                destination.update(from: input + (ih * width + iw) * c, count: c)
                            } else {
                                destination.update(repeating: 0, count: c)
                            }
                            destination += c
                        }
                    }
                }
                row += patchSize
            }
        }
    }

    /// The adjoint of im2col for one sample, as a gather: each input pixel's gradient is the sum
    /// of the `columns` entries of every patch that read it, written once (so the gradient buffer
    /// needs no zero-fill and no read-modify-write pass per tap).
    func col2im(_ columns: UnsafePointer<Float>, _ input: UnsafeMutablePointer<Float>) {
        let c = inputChannels
        for ih in 0..<height {
            for iw in 0..<width {
                let target = input + (ih * width + iw) * c
                var written = false
                for i in 0..<kernelHeight {
                    let t = ih + padTop - i * dilationHeight
                    guard t >= 0, t % strideHeight == 0 else { continue }
                    let oh = t / strideHeight
                    guard oh < outputHeight else { continue }
                    for j in 0..<kernelWidth {
                        let u = iw + padLeft - j * dilationWidth
                        guard u >= 0, u % strideWidth == 0 else { continue }
                        let ow = u / strideWidth
                        guard ow < outputWidth else { continue }
                        let source = columns + (oh * outputWidth + ow) * patchSize + (i * kernelWidth + j) * c
                        if written {
                            for channel in 0..<c { target[channel] += source[channel] }
                        } else {
                            target.update(from: source, count: c)
                            written = true
                        }
                    }
                }
                if !written { target.update(repeating: 0, count: c) }
            }
        }
    }

    /// The GEMM's left operand for samples [first, first + count): the input itself for a
    /// pointwise convolution, else the samples' patches gathered into `columns`.
    func patches(_ input: UnsafePointer<Float>, first: Int, count: Int, columns: UnsafeMutablePointer<Float>?) -> UnsafePointer<Float> {
        guard let columns else { return input + first * inputSize }
        for s in 0..<count { im2col(input + (first + s) * inputSize, columns + s * positions * patchSize) }
        return UnsafePointer(columns)
    }

    /// Samples per GEMM so one thread's im2col buffer stays near 2 M floats.
    var samplesPerGroup: Int { max(1, (1 << 21) / max(1, positions * patchSize)) }
}

/// 2-D convolution over NHWC: x [N, H, W, C_in], kernel [kh, kw, C_in, C_out], bias [C_out] → [N, H', W', C_out].
public func conv2d(_ x: Variable, kernel: Variable, bias: Variable?, stride: (Int, Int) = (1, 1),
                   dilation: (Int, Int) = (1, 1), padding: Padding = .same) -> Variable {
    let g = ConvolutionGeometry(input: x.shape, kernel: kernel.shape, stride: stride, dilation: dilation, padding: padding)
    precondition(g.outputHeight > 0 && g.outputWidth > 0, "conv2d: a \(g.kernelHeight)×\(g.kernelWidth) kernel with stride \(stride) leaves no output from \(x.shape)")
    let outputSize = g.positions * g.outputChannels
    var y = Tensor(uninitializedShape: [g.batch, g.outputHeight, g.outputWidth, g.outputChannels])
    let winograd = WinogradConvolution.applies(to: g)
    x.value.scalars.withUnsafeBufferPointer { input in
        kernel.value.scalars.withUnsafeBufferPointer { w in
            y.scalars.withUnsafeMutableBufferPointer { out in
                if winograd {
                    WinogradConvolution(kernel: w.baseAddress!, inputChannels: g.inputChannels, outputChannels: g.outputChannels, adjoint: false,
                                        tile: .best(height: g.height, width: g.width))
                        .run(input.baseAddress!, out.baseAddress!, batch: g.batch, height: g.height, width: g.width)
                    return
                }
                Parallel.chunks(g.batch) { _, samples in
                    let group = g.samplesPerGroup
                    let columns = g.isPointwise ? nil : Scratch.buffer(.columns, count: group * g.positions * g.patchSize)
                    var first = samples.lowerBound
                    while first < samples.upperBound {
                        let count = min(group, samples.upperBound - first)
                        let a = g.patches(input.baseAddress!, first: first, count: count, columns: columns)
                        gemm(.none, .none, m: count * g.positions, n: g.outputChannels, k: g.patchSize, a: a, b: w.baseAddress!,
                             c: out.baseAddress! + first * outputSize)
                        first += count
                    }
                }
            }
        }
    }
    if let bias { addChannelBias(&y, bias.value) }
    let inputs = [x, kernel] + (bias.map { [$0] } ?? [])
    return x.record(y, inputs) { dy in
        conv2dBackward(dy, x: x, kernel: kernel, bias: bias, geometry: g)
    }
}

/// Gradients of `conv2d` for x, kernel and bias.
func conv2dBackward(_ dy: Tensor, x: Variable, kernel: Variable, bias: Variable?, geometry g: ConvolutionGeometry) -> [Tensor?] {
    let outputSize = g.positions * g.outputChannels
    // Every element of dx is written exactly once (by the GEMM or by col2im's gather).
    var dxScalars = x.requiresGradient ? Tensor(uninitializedShape: x.shape).scalars : []
    dxScalars.withUnsafeMutableBufferPointer { dxBuffer in
    x.value.scalars.withUnsafeBufferPointer { input in
        kernel.value.scalars.withUnsafeBufferPointer { w in
            dy.scalars.withUnsafeBufferPointer { gradient in
                    // Winograd computes dx as its own convolution.
                    let winograd = WinogradConvolution.applies(to: g)
                    let dxPointer: UnsafeMutablePointer<Float>? = x.requiresGradient && !winograd ? dxBuffer.baseAddress : nil
                    if x.requiresGradient && winograd {
                        WinogradConvolution(kernel: w.baseAddress!, inputChannels: g.inputChannels, outputChannels: g.outputChannels, adjoint: true,
                                            tile: .best(height: g.height, width: g.width))
                            .run(gradient.baseAddress!, dxBuffer.baseAddress!, batch: g.batch, height: g.height, width: g.width)
                    }
                    guard let dxPointer else { return }
                    // dx per sample group (no sum crosses samples, so the chunks only share out the work).
                    Parallel.chunks(g.batch) { _, samples in
                        let group = g.samplesPerGroup
                        let columns = g.isPointwise ? nil : Scratch.buffer(.columns, count: group * g.positions * g.patchSize)
                        var first = samples.lowerBound
                        while first < samples.upperBound {
                            let count = min(group, samples.upperBound - first)
                            let m = count * g.positions
                            let dyGroup = gradient.baseAddress! + first * outputSize
                            if let columns {
                                // dcol[m×K] = dY[m×C_out]·Wᵀ, then scatter back.
                                gemm(.none, .transposed, m: m, n: g.patchSize, k: g.outputChannels, a: dyGroup, b: w.baseAddress!, c: columns)
                                for s in 0..<count { g.col2im(columns + s * g.positions * g.patchSize, dxPointer + (first + s) * g.inputSize) }
                            } else {
                                gemm(.none, .transposed, m: m, n: g.patchSize, k: g.outputChannels, a: dyGroup, b: w.baseAddress!,
                                     c: dxPointer + first * g.inputSize)
                            }
                            first += count
                        }
                    }
            }
        }
    }
    }
    let dx = x.requiresGradient ? Tensor(shape: x.shape, scalars: dxScalars) : nil
    var dw: Tensor? = nil
    if kernel.requiresGradient && WinogradConvolution.applies(to: g) {
        let scalars = x.value.scalars.withUnsafeBufferPointer { input in
            dy.scalars.withUnsafeBufferPointer { gradient in
                WinogradConvolution.kernelGradient(input: input.baseAddress!, gradient: gradient.baseAddress!, batch: g.batch, height: g.height,
                                                   width: g.width, inputChannels: g.inputChannels, outputChannels: g.outputChannels,
                                                   tile: .best(height: g.height, width: g.width))
            }
        }
        dw = Tensor(shape: kernel.shape, scalars: scalars)
    } else if kernel.requiresGradient {
        dw = im2colKernelGradient(x.value, dy, geometry: g)
    }
    var db: Tensor? = nil
    if let bias, bias.requiresGradient { db = channelSums(dy) }
    return [dx, dw, db]
}

/// The kernel gradient dW[K×C_out] = Σ colᵀ[K×m]·dY[m×C_out] over sample groups of a size fixed
/// by the geometry, accumulated in group order. Within a group the patches are gathered in
/// parallel and the product is cut into row slices of dW fixed by K alone, so no partial sums
/// are kept and nothing depends on the thread count.
func im2colKernelGradient(_ x: Tensor, _ dy: Tensor, geometry g: ConvolutionGeometry) -> Tensor {
    var dw = Tensor(zeros: [g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels])
    let group = g.samplesPerGroup, outputSize = g.positions * g.outputChannels
    let columns = g.isPointwise ? nil : Scratch.buffer(.columns, count: group * g.positions * g.patchSize)
    x.scalars.withUnsafeBufferPointer { input in
        dy.scalars.withUnsafeBufferPointer { gradient in
            dw.scalars.withUnsafeMutableBufferPointer { weights in
                var first = 0
                while first < g.batch {
                    let count = min(group, g.batch - first)
                    let m = count * g.positions
                    let a: UnsafePointer<Float>
                    if let columns {
                        let start = first
                        Parallel.chunks(count) { _, samples in
                            for s in samples { g.im2col(input.baseAddress! + (start + s) * g.inputSize, columns + s * g.positions * g.patchSize) }
                        }
                        a = UnsafePointer(columns)
                    } else {
                        a = input.baseAddress! + first * g.inputSize
                    }
                    let b = gradient.baseAddress! + first * outputSize
                    Parallel.chunks(g.patchSize, minimumPerChunk: 8) { _, rows in
                        gemm(.transposed, .none, m: rows.count, n: g.outputChannels, k: m, a: a + rows.lowerBound, b: b, beta: 1,
                             c: weights.baseAddress! + rows.lowerBound * g.outputChannels, lda: g.patchSize)
                    }
                    first += count
                }
            }
        }
    }
    return dw
}

/// Adds a per-channel bias [C] to every position of an NHWC (or [N, C]) tensor.
func addChannelBias(_ y: inout Tensor, _ bias: Tensor) {
    let channels = bias.count
    precondition(y.shape.last == channels, "bias of \(channels) channels does not match \(y.shape)")
    let rows = y.count / channels
    y.scalars.withUnsafeMutableBufferPointer { out in
        bias.scalars.withUnsafeBufferPointer { b in
            let base = out.baseAddress!
            Parallel.chunks(rows, minimumPerChunk: 1024) { _, range in
                for row in range { for c in 0..<channels { base[row * channels + c] += b[c] } }
            }
        }
    }
}

/// Σ over every axis but the last: [.., C] → [C]; rows are split into reduction chunks summed
/// in Double and combined in chunk order (the same bits at any thread count).
func channelSums(_ x: Tensor) -> Tensor {
    let channels = x.shape.last!
    let rows = x.count / channels
    let chunkCount = Parallel.chunkCount(rows, minimumPerChunk: 1024)
    var partial = [Double](repeating: 0, count: chunkCount * channels)
    x.scalars.withUnsafeBufferPointer { values in
        partial.withUnsafeMutableBufferPointer { sums in
            let (valueBase, sumBase) = (values.baseAddress!, sums.baseAddress!)
            Parallel.chunks(rows, minimumPerChunk: 1024) { chunk, range in
                let target = sumBase + chunk * channels
                for row in range { for c in 0..<channels { target[c] += Double(valueBase[row * channels + c]) } }
            }
        }
    }
    var sums = [Double](repeating: 0, count: channels)
    for chunk in 0..<chunkCount { for c in 0..<channels { sums[c] += partial[chunk * channels + c] } }
    return Tensor(shape: [channels], scalars: sums.map { Float($0) })
}
