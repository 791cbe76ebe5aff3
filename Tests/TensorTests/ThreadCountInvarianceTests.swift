import Testing
import TestSupport
@testable import Tensor

/// Why `Parallel.chunks` splits work by the problem size and never by the thread count:
/// OpenBLAS rounds an element of C differently depending on where a product is cut into row
/// slices, so a split that followed the thread count would change results with it. And the
/// consequence: a training step of convolutions (im2col and Winograd), batch norm, dense layers
/// and softmax gives the same bits at any thread count.
@Suite(.serialized) struct ThreadCountInvarianceTests {
    @Test func chunkBoundariesDependOnTheProblemSizeOnly() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        var boundaries: [[Range<Int>]] = []
        for threads in [1, 2, 3, 7, 64] {
            Parallel.threads = threads
            var ranges = [Range<Int>](repeating: 0..<0, count: Parallel.chunkCount(37))
            ranges.withUnsafeMutableBufferPointer { slots in
                let base = slots.baseAddress!
                Parallel.chunks(37) { chunk, range in base[chunk] = range }
            }
            boundaries.append(ranges)
        }
        #expect(boundaries.allSatisfy { $0 == boundaries[0] })
        #expect(boundaries[0].count == Parallel.chunkLimit && boundaries[0].first == 0..<4 && boundaries[0].last == 32..<37)
    }

    /// Row slices of one product disagree with the whole product in some bits (Haswell kernels):
    /// the reason work is never cut by the thread count. Should OpenBLAS ever compute slices
    /// exactly, this test says so, and the fixed chunks could give way to thread-sized ones.
    @Test func openBLASRoundsRowSlicesOfAProductDifferently() {
        let (m, n, k) = (129, 17, 4_609)
        let a = randomTensor([m, k], seed: 1).scalars, b = randomTensor([k, n], seed: 2).scalars
        var whole = [Float](repeating: 0, count: m * n), sliced = whole
        gemm(.none, .none, m: m, n: n, k: k, a: a, b: b, c: &whole)
        for (lower, upper) in [(0, 43), (43, 86), (86, 129)] {
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in sliced.withUnsafeMutableBufferPointer { cp in
                gemm(.none, .none, m: upper - lower, n: n, k: k, a: ap.baseAddress! + lower * k, b: bp.baseAddress!, c: cp.baseAddress! + lower * n)
            } } }
        }
        let differing = zip(whole, sliced).filter { $0 != $1 }.count
        #expect(differing > 0, "row slices now give the whole product's bits")
        #expect(maximumRelativeError(sliced, whole, floor: 1) < 1e-3)
    }

    /// Loss and every parameter gradient of a small network, as raw bits.
    static func trainingStepBits() -> [UInt32] {
        let tape = Tape()
        let collectors = (0..<7).map { _ in GradientCollector() }
        let x = tape.constant(randomTensor([10, 23, 11, 3], seed: 21))
        let k1 = tape.leaf(randomTensor([5, 5, 3, 8], seed: 22, scale: 0.3), sink: collectors[0])
        let k2 = tape.leaf(randomTensor([3, 3, 8, 16], seed: 23, scale: 0.2), sink: collectors[1])
        let gamma = tape.leaf(Tensor(repeating: 1, shape: [16]), sink: collectors[2])
        let beta = tape.leaf(Tensor(zeros: [16]), sink: collectors[3])
        let w = tape.leaf(randomTensor([16, 6], seed: 24, scale: 0.3), sink: collectors[4])
        let bias = tape.leaf(Tensor(zeros: [6]), sink: collectors[5])
        let b1 = tape.leaf(Tensor(zeros: [8]), sink: collectors[6])
        var h = relu(conv2d(x, kernel: k1, bias: b1, stride: (2, 2)))
        h = conv2d(h, kernel: k2, bias: nil)
        h = relu(batchNorm(h, scale: gamma, offset: beta, statistics: BatchNormStatistics(channels: 16), training: true))
        let logits = dense(globalAveragePool(h), weight: w, bias: bias)
        let loss = softmaxCrossEntropy(logits, labels: [0, 1, 2, 3, 4, 5, 0, 1, 2, 3])
        tape.backward(from: loss)
        return (loss.value.scalars + collectors.flatMap { $0.gradient!.scalars }).map(\.bitPattern)
    }

    @Test func aTrainingStepHasTheSameBitsAtAnyThreadCount() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        var results: [Int: [UInt32]] = [:]
        for threads in [1, 2, 3, 5, 8, 13] {
            Parallel.threads = threads
            results[threads] = Self.trainingStepBits()
        }
        for threads in results.keys.sorted() { #expect(results[threads] == results[1], "\(threads) threads differ from 1") }
    }

    @Test func reproducibleNumericsRunTheHaswellKernels() {
        Numerics.configure()
        #expect(Numerics.mode == .reproducible)
        if Numerics.kernelsSelectable { #expect(Numerics.blasKernel.lowercased() == "haswell") }
    }
}
