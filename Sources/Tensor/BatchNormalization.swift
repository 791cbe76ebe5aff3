/// Running statistics of a batch-normalisation layer, updated in place by training passes.
public final class BatchNormStatistics {
    /// Running mean per channel.
    public var mean: Tensor
    /// Running variance per channel.
    public var variance: Tensor

    /// Starts at mean 0, variance 1 (the Keras and PyTorch initial values).
    public init(channels: Int) {
        mean = Tensor(zeros: [channels])
        variance = Tensor(repeating: 1, shape: [channels])
    }
}

/// Batch normalisation over every axis but the last (NHWC: over N, H, W per channel).
///
/// Training: normalise with the batch statistics (biased variance) and move the running ones,
/// running = momentum·running + (1 − momentum)·batch (Keras; PyTorch's momentum is 1 − this,
/// and it updates the variance with the unbiased estimate: `unbiasedRunningVariance`).
/// Inference: normalise with the running statistics.
public func batchNorm(_ x: Variable, scale gamma: Variable, offset beta: Variable, statistics: BatchNormStatistics,
                      training: Bool, momentum: Float = 0.99, epsilon: Float = 1e-3, unbiasedRunningVariance: Bool = false) -> Variable {
    let channels = x.shape.last!
    let rows = x.value.count / channels
    precondition(gamma.value.count == channels && beta.value.count == channels, "batch norm parameters must have \(channels) channels")
    var mean = [Float](repeating: 0, count: channels)
    var variance = [Float](repeating: 0, count: channels)
    if training {
        (mean, variance) = channelMoments(x.value, rows: rows, channels: channels)
        let correction: Float = unbiasedRunningVariance && rows > 1 ? Float(rows) / Float(rows - 1) : 1
        for c in 0..<channels {
            statistics.mean.scalars[c] = momentum * statistics.mean.scalars[c] + (1 - momentum) * mean[c]
            statistics.variance.scalars[c] = momentum * statistics.variance.scalars[c] + (1 - momentum) * variance[c] * correction
        }
    } else {
        mean = statistics.mean.scalars
        variance = statistics.variance.scalars
    }
    let inverseDeviation = variance.map { 1 / ($0 + epsilon).squareRoot() }
    // y = x·a + b with a = γ/σ, b = β − μ·γ/σ: one fused pass.
    let multiplier = (0..<channels).map { gamma.value.scalars[$0] * inverseDeviation[$0] }
    let shift = (0..<channels).map { beta.value.scalars[$0] - mean[$0] * multiplier[$0] }
    var y = Tensor(uninitializedShape: x.shape)
    x.value.scalars.withUnsafeBufferPointer { input in
        y.scalars.withUnsafeMutableBufferPointer { out in
            let i = input.baseAddress!, o = out.baseAddress!
            Parallel.chunks(rows, minimumPerChunk: 256) { _, range in
                for row in range {
                    let base = row * channels
                    for c in 0..<channels { o[base + c] = i[base + c] * multiplier[c] + shift[c] }
                }
            }
        }
    }
    return x.record(y, [x, gamma, beta]) { dy in
        // Σ dy and Σ dy·x̂ per channel, with x̂ = (x − μ)/σ.
        let (sumGradient, sumGradientTimesNormalised) = channelGradientSums(dy, x.value, mean: mean, inverseDeviation: inverseDeviation, rows: rows, channels: channels)
        var dx: Tensor? = nil
        if x.requiresGradient {
            var gradient = Tensor(uninitializedShape: x.shape)
            let count = Float(rows)
            dy.scalars.withUnsafeBufferPointer { g in
                x.value.scalars.withUnsafeBufferPointer { input in
                    gradient.scalars.withUnsafeMutableBufferPointer { out in
                        let gp = g.baseAddress!, ip = input.baseAddress!, op = out.baseAddress!
                        Parallel.chunks(rows, minimumPerChunk: 256) { _, range in
                            for row in range {
                                let base = row * channels
                                for c in 0..<channels {
                                    if training {
                                        let normalised = (ip[base + c] - mean[c]) * inverseDeviation[c]
                                        op[base + c] = multiplier[c] * (gp[base + c] - sumGradient[c] / count - normalised * sumGradientTimesNormalised[c] / count)
                                    } else {
                                        op[base + c] = multiplier[c] * gp[base + c]
                                    }
                                }
                            }
                        }
                    }
                }
            }
            dx = gradient
        }
        return [dx, Tensor(shape: [channels], scalars: sumGradientTimesNormalised), Tensor(shape: [channels], scalars: sumGradient)]
    }
}

/// Per-channel mean and biased variance over rows, summed in Double per reduction chunk and combined in chunk order.
func channelMoments(_ x: Tensor, rows: Int, channels: Int) -> (mean: [Float], variance: [Float]) {
    let chunkCount = Parallel.chunkCount(rows, minimumPerChunk: 256)
    var partial = [Double](repeating: 0, count: chunkCount * channels * 2)
    x.scalars.withUnsafeBufferPointer { input in
        partial.withUnsafeMutableBufferPointer { sums in
            let i = input.baseAddress!, s = sums.baseAddress!
            Parallel.chunks(rows, minimumPerChunk: 256) { chunk, range in
                let total = s + chunk * channels * 2, squares = total + channels
                for row in range {
                    let base = row * channels
                    for c in 0..<channels {
                        let value = Double(i[base + c])
                        total[c] += value
                        squares[c] += value * value
                    }
                }
            }
        }
    }
    var mean = [Float](repeating: 0, count: channels), variance = [Float](repeating: 0, count: channels)
    for c in 0..<channels {
        var total = 0.0, squares = 0.0
        for chunk in 0..<chunkCount {
            total += partial[chunk * channels * 2 + c]
            squares += partial[chunk * channels * 2 + channels + c]
        }
        let m = total / Double(rows)
        mean[c] = Float(m)
        variance[c] = Float(max(squares / Double(rows) - m * m, 0))
    }
    return (mean, variance)
}

/// Per-channel Σ dy and Σ dy·(x − μ)/σ.
func channelGradientSums(_ dy: Tensor, _ x: Tensor, mean: [Float], inverseDeviation: [Float], rows: Int, channels: Int) -> ([Float], [Float]) {
    let chunkCount = Parallel.chunkCount(rows, minimumPerChunk: 256)
    var partial = [Double](repeating: 0, count: chunkCount * channels * 2)
    dy.scalars.withUnsafeBufferPointer { g in
        x.scalars.withUnsafeBufferPointer { input in
            partial.withUnsafeMutableBufferPointer { sums in
                let gp = g.baseAddress!, ip = input.baseAddress!, s = sums.baseAddress!
                Parallel.chunks(rows, minimumPerChunk: 256) { chunk, range in
                    let first = s + chunk * channels * 2, second = first + channels
                    for row in range {
                        let base = row * channels
                        for c in 0..<channels {
                            let gradient = Double(gp[base + c])
                            first[c] += gradient
                            second[c] += gradient * Double((ip[base + c] - mean[c]) * inverseDeviation[c])
                        }
                    }
                }
            }
        }
    }
    var sumGradient = [Float](repeating: 0, count: channels), sumProduct = [Float](repeating: 0, count: channels)
    for c in 0..<channels {
        var a = 0.0, b = 0.0
        for chunk in 0..<chunkCount {
            a += partial[chunk * channels * 2 + c]
            b += partial[chunk * channels * 2 + channels + c]
        }
        sumGradient[c] = Float(a)
        sumProduct[c] = Float(b)
    }
    return (sumGradient, sumProduct)
}
