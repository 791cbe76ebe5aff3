/// x·W + b: x [N, in], W [in, out], b [out] → [N, out].
public func dense(_ x: Variable, weight: Variable, bias: Variable?) -> Variable {
    precondition(x.shape.count == 2 && weight.shape.count == 2 && x.shape[1] == weight.shape[0],
                 "dense needs x [N, in] and W [in, out]; got \(x.shape) and \(weight.shape)")
    let (n, inputs, outputs) = (x.shape[0], x.shape[1], weight.shape[1])
    var y = Tensor(zeros: [n, outputs])
    if let bias {
        y.scalars.withUnsafeMutableBufferPointer { out in
            for row in 0..<n { for column in 0..<outputs { out[row * outputs + column] = bias.value.scalars[column] } }
        }
    }
    x.value.scalars.withUnsafeBufferPointer { a in
        weight.value.scalars.withUnsafeBufferPointer { w in
            y.scalars.withUnsafeMutableBufferPointer { c in
                // C[n×out] += A[n×in]·W[in×out], split over output columns.
                Parallel.chunks(outputs, minimumPerChunk: 64) { _, columns in
                    gemmColumns(m: n, k: inputs, columns: columns, totalColumns: outputs, a: a.baseAddress!, b: w.baseAddress!, beta: 1, c: c.baseAddress!)
                }
            }
        }
    }
    let inputs3 = [x, weight] + (bias.map { [$0] } ?? [])
    return x.record(y, inputs3) { dy in
        var gradients: [Tensor?] = [nil, nil, nil]
        if x.requiresGradient {
            // dX[n×in] = dY[n×out]·Wᵀ
            var dx = Tensor(zeros: [n, inputs])
            dy.scalars.withUnsafeBufferPointer { g in weight.value.scalars.withUnsafeBufferPointer { w in dx.scalars.withUnsafeMutableBufferPointer { out in
                Parallel.chunks(n) { _, rows in
                    gemm(.none, .transposed, m: rows.count, n: inputs, k: outputs, a: g.baseAddress! + rows.lowerBound * outputs, b: w.baseAddress!, c: out.baseAddress! + rows.lowerBound * inputs)
                }
            } } }
            gradients[0] = dx
        }
        if weight.requiresGradient {
            // dW[in×out] = Xᵀ·dY, split over output columns (each chunk owns its columns).
            var dw = Tensor(zeros: [inputs, outputs])
            x.value.scalars.withUnsafeBufferPointer { a in dy.scalars.withUnsafeBufferPointer { g in dw.scalars.withUnsafeMutableBufferPointer { out in
                Parallel.chunks(inputs, minimumPerChunk: 16) { _, rows in
                    gemm(.transposed, .none, m: rows.count, n: outputs, k: n, a: a.baseAddress! + rows.lowerBound, b: g.baseAddress!, c: out.baseAddress! + rows.lowerBound * outputs, lda: inputs)
                }
            } } }
            gradients[1] = dw
        }
        if let bias, bias.requiresGradient {
            var db = Tensor(zeros: [outputs])
            for row in 0..<n { for column in 0..<outputs { db.scalars[column] += dy.scalars[row * outputs + column] } }
            gradients[2] = db
        }
        return gradients
    }
}

/// C[m×|columns|] (+)= A[m×k]·B[k×columns] on a column slice of row-major B and C.
@inline(__always)
func gemmColumns(m: Int, k: Int, columns: Range<Int>, totalColumns: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>) {
    gemm(.none, .none, m: m, n: columns.count, k: k, a: a, b: b + columns.lowerBound, beta: beta, c: c + columns.lowerBound,
         lda: k, ldb: totalColumns, ldc: totalColumns)
}
