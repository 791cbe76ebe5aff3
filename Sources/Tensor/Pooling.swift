/// Max pooling over NHWC windows; TF `same` padding ignores the padded positions.
public func maxPool2d(_ x: Variable, size: (Int, Int), stride: (Int, Int), padding: Padding = .same) -> Variable {
    let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, padTop) = padding.output(input: h, kernel: size.0, stride: stride.0)
    let (ow, padLeft) = padding.output(input: w, kernel: size.1, stride: stride.1)
    precondition(oh > 0 && ow > 0, "max pooling \(size) with stride \(stride) leaves no output from \(x.shape)")
    var y = Tensor(zeros: [n, oh, ow, c])
    var argmax = [Int32](repeating: 0, count: y.count)
    x.value.scalars.withUnsafeBufferPointer { input in
        y.scalars.withUnsafeMutableBufferPointer { out in
            argmax.withUnsafeMutableBufferPointer { indices in
                let i = input.baseAddress!, o = out.baseAddress!, a = indices.baseAddress!
                Parallel.chunks(n) { _, samples in
                    for sample in samples {
                        for r in 0..<oh {
                            for q in 0..<ow {
                                let outputBase = ((sample * oh + r) * ow + q) * c
                                for channel in 0..<c { o[outputBase + channel] = -.infinity }
                                for di in 0..<size.0 {
                                    let ih = r * stride.0 - padTop + di
                                    guard ih >= 0 && ih < h else { continue }
                                    for dj in 0..<size.1 {
                                        let iw = q * stride.1 - padLeft + dj
                                        guard iw >= 0 && iw < w else { continue }
                                        let inputBase = ((sample * h + ih) * w + iw) * c
                                        for channel in 0..<c where i[inputBase + channel] > o[outputBase + channel] {
                                            o[outputBase + channel] = i[inputBase + channel]
                                            a[outputBase + channel] = Int32(inputBase + channel)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return x.record(y, [x]) { dy in
        var dx = Tensor(zeros: x.shape)
        for index in 0..<dy.count { dx.scalars[Int(argmax[index])] += dy.scalars[index] }
        return [dx]
    }
}

/// Average pooling over NHWC windows; TF `same` padding averages only the real positions.
public func averagePool2d(_ x: Variable, size: (Int, Int), stride: (Int, Int), padding: Padding = .same) -> Variable {
    let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, padTop) = padding.output(input: h, kernel: size.0, stride: stride.0)
    let (ow, padLeft) = padding.output(input: w, kernel: size.1, stride: stride.1)
    precondition(oh > 0 && ow > 0, "average pooling \(size) with stride \(stride) leaves no output from \(x.shape)")
    func window(_ r: Int, _ q: Int) -> (rows: Range<Int>, columns: Range<Int>) {
        (max(0, r * stride.0 - padTop)..<min(h, r * stride.0 - padTop + size.0), max(0, q * stride.1 - padLeft)..<min(w, q * stride.1 - padLeft + size.1))
    }
    var y = Tensor(zeros: [n, oh, ow, c])
    for sample in 0..<n {
        for r in 0..<oh {
            for q in 0..<ow {
                let (rows, columns) = window(r, q)
                let scale = 1 / Float(rows.count * columns.count)
                let outputBase = ((sample * oh + r) * ow + q) * c
                for ih in rows { for iw in columns { for channel in 0..<c { y.scalars[outputBase + channel] += x.value.scalars[((sample * h + ih) * w + iw) * c + channel] * scale } } }
            }
        }
    }
    return x.record(y, [x]) { dy in
        var dx = Tensor(zeros: x.shape)
        for sample in 0..<n {
            for r in 0..<oh {
                for q in 0..<ow {
                    let (rows, columns) = window(r, q)
                    let scale = 1 / Float(rows.count * columns.count)
                    let outputBase = ((sample * oh + r) * ow + q) * c
                    for ih in rows { for iw in columns { for channel in 0..<c { dx.scalars[((sample * h + ih) * w + iw) * c + channel] += dy.scalars[outputBase + channel] * scale } } }
                }
            }
        }
        return [dx]
    }
}

/// Mean over the spatial axes: [N, H, W, C] → [N, C] (Keras GlobalAveragePooling2D, `K.mean(axis=[1,2])`).
public func globalAveragePool(_ x: Variable) -> Variable {
    let n = x.shape[0], c = x.shape[x.shape.count - 1]
    let positions = x.value.count / (n * c)
    var y = Tensor(zeros: [n, c])
    for sample in 0..<n {
        for p in 0..<positions { for channel in 0..<c { y.scalars[sample * c + channel] += x.value.scalars[(sample * positions + p) * c + channel] } }
        for channel in 0..<c { y.scalars[sample * c + channel] /= Float(positions) }
    }
    return x.record(y, [x]) { dy in
        var dx = Tensor(zeros: x.shape)
        let scale = 1 / Float(positions)
        for sample in 0..<n { for p in 0..<positions { for channel in 0..<c { dx.scalars[(sample * positions + p) * c + channel] = dy.scalars[sample * c + channel] * scale } } }
        return [dx]
    }
}

/// Maximum over the spatial axes: [N, H, W, C] → [N, C].
public func globalMaxPool(_ x: Variable) -> Variable {
    let n = x.shape[0], c = x.shape[x.shape.count - 1]
    let positions = x.value.count / (n * c)
    var y = Tensor(repeating: -.infinity, shape: [n, c])
    var argmax = [Int](repeating: 0, count: n * c)
    for sample in 0..<n {
        for p in 0..<positions {
            for channel in 0..<c {
                let index = (sample * positions + p) * c + channel
                if x.value.scalars[index] > y.scalars[sample * c + channel] { y.scalars[sample * c + channel] = x.value.scalars[index]; argmax[sample * c + channel] = index }
            }
        }
    }
    return x.record(y, [x]) { dy in
        var dx = Tensor(zeros: x.shape)
        for index in 0..<dy.count { dx.scalars[argmax[index]] += dy.scalars[index] }
        return [dx]
    }
}

/// Mean over chosen axes of any tensor; the reduced axes are removed from the shape.
public func mean(_ x: Variable, axes: Set<Int>) -> Variable {
    let shape = x.shape
    precondition(axes.allSatisfy { $0 >= 0 && $0 < shape.count }, "mean over axes \(axes.sorted()) of a rank-\(shape.count) tensor")
    let outputShape = shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    let reduced = axes.reduce(1) { $0 * shape[$1] }
    // Output index of each input index, by walking the input in row-major order.
    var map = [Int](repeating: 0, count: x.value.count)
    var index = [Int](repeating: 0, count: shape.count)
    let outputStrides = strides(outputShape)
    for flat in 0..<x.value.count {
        var target = 0, k = 0
        for axis in 0..<shape.count where !axes.contains(axis) { target += index[axis] * outputStrides[k]; k += 1 }
        map[flat] = target
        var axis = shape.count - 1
        while axis >= 0 { index[axis] += 1; if index[axis] < shape[axis] { break }; index[axis] = 0; axis -= 1 }
    }
    var y = Tensor(zeros: outputShape)
    for flat in 0..<x.value.count { y.scalars[map[flat]] += x.value.scalars[flat] }
    let scale = 1 / Float(reduced)
    for i in 0..<y.count { y.scalars[i] *= scale }
    return x.record(y, [x]) { dy in
        [Tensor(shape: shape, scalars: map.map { dy.scalars[$0] * scale })]
    }
}

/// Row-major strides of a shape.
func strides(_ shape: [Int]) -> [Int] {
    var result = [Int](repeating: 1, count: shape.count)
    for axis in stride(from: shape.count - 2, through: 0, by: -1) { result[axis] = result[axis + 1] * shape[axis + 1] }
    return result
}

/// Statistics pooling: mean and standard deviation over time. [N, T, F, C] (or [N, T, D]) →
/// [N, 2·F·C]: the means, then the deviations √(var + ε) (x-vector, ECAPA and WeSpeaker heads).
public func statisticsPooling(_ x: Variable, epsilon: Float = 1e-5) -> Variable {
    let n = x.shape[0], t = x.shape[1]
    let features = x.value.count / (n * t)
    var y = Tensor(zeros: [n, 2 * features])
    var deviations = [Float](repeating: 0, count: n * features)
    var means = [Float](repeating: 0, count: n * features)
    for sample in 0..<n {
        for f in 0..<features {
            var sum: Double = 0, squares: Double = 0
            for frame in 0..<t { let v = Double(x.value.scalars[(sample * t + frame) * features + f]); sum += v; squares += v * v }
            let m = sum / Double(t)
            let deviation = Float((max(squares / Double(t) - m * m, 0) + Double(epsilon)).squareRoot())
            means[sample * features + f] = Float(m)
            deviations[sample * features + f] = deviation
            y.scalars[sample * 2 * features + f] = Float(m)
            y.scalars[sample * 2 * features + features + f] = deviation
        }
    }
    return x.record(y, [x]) { dy in
        var dx = Tensor(zeros: x.shape)
        for sample in 0..<n {
            for f in 0..<features {
                let dMean = dy.scalars[sample * 2 * features + f] / Float(t)
                let dDeviation = dy.scalars[sample * 2 * features + features + f]
                let m = means[sample * features + f], s = deviations[sample * features + f]
                for frame in 0..<t {
                    let index = (sample * t + frame) * features + f
                    dx.scalars[index] = dMean + dDeviation * (x.value.scalars[index] - m) / (Float(t) * s)
                }
            }
        }
        return [dx]
    }
}
