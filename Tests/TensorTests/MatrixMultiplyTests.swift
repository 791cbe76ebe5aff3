import Testing
@testable import Tensor

@Suite struct MatrixMultiplyTests {
    @Test func productMatchesHandComputation() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
        // [1 2 3; 4 5 6]·[7 8; 9 10; 11 12] = [58 64; 139 154]
        #expect(a.matmul(b) == Tensor(shape: [2, 2], scalars: [58, 64, 139, 154]))
    }

    @Test func transposedOperandsReadTheStoredMatrixAsItsTranspose() {
        // Aᵀ stored as 3×2, B stored as 2×3 (so op(B) = Bᵀ is 3×2).
        let aTransposed: [Float] = [1, 4, 2, 5, 3, 6]
        let bTransposed: [Float] = [7, 9, 11, 8, 10, 12]
        var c = [Float](repeating: 1, count: 4)
        gemm(.transposed, .transposed, m: 2, n: 2, k: 3, alpha: 2, a: aTransposed, b: bTransposed, beta: 1, c: &c)
        #expect(c == [117, 129, 279, 309])
    }

    @Test func reshapeKeepsElementsAndIndexingIsRowMajor() {
        var t = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        #expect(t[1, 2] == 5)
        t[0, 1] = 9
        #expect(t.reshaped([3, 2])[0, 1] == 9)
    }
}
