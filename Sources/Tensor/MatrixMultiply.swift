internal import COpenBLAS

/// Whether a matrix operand is read as stored or transposed.
public enum Transpose: Sendable {
    /// Use the matrix as stored.
    case none
    /// Use the transpose of the stored matrix.
    case transposed
}

/// General matrix multiply on raw row-major buffers: C[m×n] = alpha·op(A)·op(B) + beta·C.
///
/// `a` holds op(A) of shape m×k (stored k×m when transposed); `b` holds op(B) of shape k×n
/// (stored n×k when transposed). Every GEMM in SpeakerLab goes through this one call.
@inline(__always)
public func gemm(
    _ transposeA: Transpose, _ transposeB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    beta: Float = 0, c: UnsafeMutablePointer<Float>,
    lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil
) {
    guard m > 0, n > 0 else { return }
    if !Numerics.configured { Numerics.configure() }
    let leadingA = lda ?? (transposeA == .none ? k : m)
    let leadingB = ldb ?? (transposeB == .none ? n : k)
    // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ on the same memory, which is
    // what cblas does with a row-major call; asking for it directly skips OpenBLAS's AVX-512
    // "direct" path for small row-major products, which the CPU picks, not `Numerics`.
    cblas_sgemm(CblasColMajor,
                transposeB == .none ? CblasNoTrans : CblasTrans,
                transposeA == .none ? CblasNoTrans : CblasTrans,
                Int32(n), Int32(m), Int32(k), alpha, b, Int32(leadingB), a, Int32(leadingA),
                beta, c, Int32(ldc ?? n))
}

extension Tensor {
    /// Matrix product of two rank-2 tensors: [m, k] · [k, n] → [m, n].
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank == 2 && other.rank == 2, "matmul needs rank-2 tensors, got \(shape) and \(other.shape)")
        precondition(shape[1] == other.shape[0], "matmul inner extents differ: \(shape) · \(other.shape)")
        let (m, k, n) = (shape[0], shape[1], other.shape[1])
        var result = Tensor(zeros: [m, n])
        scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                result.scalars.withUnsafeMutableBufferPointer { c in
                    gemm(.none, .none, m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                }
            }
        }
        return result
    }
}
