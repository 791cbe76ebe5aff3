import Testing
import TestSupport
@testable import Tensor

/// The Winograd F(2×2, 3×3) and F(4×4, 3×3) kernels against the straightforward im2col + GEMM
/// convolution they replace for 3×3 stride-1 `same` convolutions (forward, the input gradient
/// computed as the adjoint convolution, and the kernel gradient).
@Suite struct WinogradTests {
    /// im2col + GEMM, sample by sample: the oracle.
    static func reference(_ x: Tensor, _ w: Tensor) -> Tensor {
        let g = ConvolutionGeometry(input: x.shape, kernel: w.shape, stride: (1, 1), dilation: (1, 1), padding: .same)
        var y = Tensor(zeros: [g.batch, g.outputHeight, g.outputWidth, g.outputChannels])
        var columns = [Float](repeating: 0, count: g.positions * g.patchSize)
        x.scalars.withUnsafeBufferPointer { input in
            w.scalars.withUnsafeBufferPointer { kernel in
                y.scalars.withUnsafeMutableBufferPointer { out in
                    columns.withUnsafeMutableBufferPointer { c in
                        for s in 0..<g.batch {
                            g.im2col(input.baseAddress! + s * g.inputSize, c.baseAddress!)
                            gemm(.none, .none, m: g.positions, n: g.outputChannels, k: g.patchSize, a: c.baseAddress!, b: kernel.baseAddress!,
                                 c: out.baseAddress! + s * g.positions * g.outputChannels)
                        }
                    }
                }
            }
        }
        return y
    }

    static func winograd(_ x: Tensor, _ w: Tensor, adjoint: Bool = false, tile: WinogradTile) -> Tensor {
        let (n, h, width) = (x.shape[0], x.shape[1], x.shape[2])
        let outputChannels = adjoint ? w.shape[2] : w.shape[3]
        var y = Tensor(zeros: [n, h, width, outputChannels])
        x.scalars.withUnsafeBufferPointer { input in
            w.scalars.withUnsafeBufferPointer { kernel in
                y.scalars.withUnsafeMutableBufferPointer { out in
                    WinogradConvolution(kernel: kernel.baseAddress!, inputChannels: w.shape[2], outputChannels: w.shape[3], adjoint: adjoint, tile: tile)
                        .run(input.baseAddress!, out.baseAddress!, batch: n, height: h, width: width)
                }
            }
        }
        return y
    }

    static func worstRelativeError(_ a: Tensor, _ b: Tensor) -> Float {
        let scale = max(1, b.scalars.map(abs).max() ?? 1)
        return zip(a.scalars, b.scalars).map { abs($0 - $1) }.max()! / scale
    }

    static let shapes = [[2, 7, 6, 3, 4], [3, 8, 8, 5, 2], [1, 1, 1, 4, 3], [2, 1, 9, 2, 2], [2, 9, 1, 2, 2], [2, 19, 3, 16, 8], [4, 5, 5, 64, 32],
                         [2, 13, 10, 8, 8]]

    // Odd and even sizes, sizes that are and are not multiples of 4, a 1×1 map, a single row or
    // column, and the seed's deepest map (19×3), with both tiles.
    @Test(arguments: shapes, WinogradTile.allCases)
    func forwardMatchesIm2col(_ sizes: [Int], tile: WinogradTile) {
        let x = randomTensor([sizes[0], sizes[1], sizes[2], sizes[3]], seed: 11)
        let w = randomTensor([3, 3, sizes[3], sizes[4]], seed: 12, scale: 0.5)
        let error = Self.worstRelativeError(Self.winograd(x, w, tile: tile), Self.reference(x, w))
        print("Winograd F(\(tile.outputs)×\(tile.outputs), 3×3) forward on \(sizes): worst error \(error) of the largest value")
        #expect(error < 1e-5)
    }

    @Test(arguments: [[2, 7, 6, 3, 4], [2, 19, 3, 16, 8], [2, 13, 10, 8, 8]], WinogradTile.allCases)
    func theAdjointIsTheInputGradient(_ sizes: [Int], tile: WinogradTile) {
        // ⟨conv(x, w), y⟩ = ⟨x, conv_adjoint(y, w)⟩ for any x and y.
        let x = randomTensor([sizes[0], sizes[1], sizes[2], sizes[3]], seed: 13)
        let w = randomTensor([3, 3, sizes[3], sizes[4]], seed: 14, scale: 0.5)
        let y = randomTensor([sizes[0], sizes[1], sizes[2], sizes[4]], seed: 15)
        let forward = zip(Self.reference(x, w).scalars, y.scalars).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        let adjoint = zip(x.scalars, Self.winograd(y, w, adjoint: true, tile: tile).scalars).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        #expect(abs(forward - adjoint) <= 1e-4 * max(1, abs(forward)))
    }

    @Test func onlyThreeByThreeStrideOneSameConvolutionsUseIt() {
        func geometry(_ kernel: Int, stride: Int, padding: Padding, dilation: Int = 1) -> ConvolutionGeometry {
            ConvolutionGeometry(input: [1, 10, 10, 2], kernel: [kernel, kernel, 2, 2], stride: (stride, stride), dilation: (dilation, dilation), padding: padding)
        }
        #expect(WinogradConvolution.applies(to: geometry(3, stride: 1, padding: .same)))
        #expect(!WinogradConvolution.applies(to: geometry(3, stride: 2, padding: .same)))
        #expect(!WinogradConvolution.applies(to: geometry(3, stride: 1, padding: .valid)))
        #expect(!WinogradConvolution.applies(to: geometry(3, stride: 1, padding: .same, dilation: 2)))
        #expect(!WinogradConvolution.applies(to: geometry(5, stride: 1, padding: .same)))
    }

    @Test func theTileFollowsTheMapSize() {
        // F(4×4) where its edge tiles waste less than it saves: the seed's maps from 150×20 to 19×3.
        for (height, width) in [(150, 20), (75, 10), (38, 5), (19, 3)] { #expect(WinogradTile.best(height: height, width: width) == .four) }
        // F(2×2) where F(4×4)'s tiles would be mostly padding.
        for (height, width) in [(2, 2), (1, 9), (5, 5), (6, 6)] { #expect(WinogradTile.best(height: height, width: width) == .two) }
    }
}

extension WinogradTests {
    /// The kernel gradient by im2col: dW = Σ_samples colᵀ · dY.
    static func referenceKernelGradient(_ x: Tensor, _ dy: Tensor, outputChannels: Int) -> [Float] {
        let g = ConvolutionGeometry(input: x.shape, kernel: [3, 3, x.shape[3], outputChannels], stride: (1, 1), dilation: (1, 1), padding: .same)
        var dw = [Float](repeating: 0, count: g.patchSize * outputChannels)
        var columns = [Float](repeating: 0, count: g.positions * g.patchSize)
        x.scalars.withUnsafeBufferPointer { input in
            dy.scalars.withUnsafeBufferPointer { gradient in
                dw.withUnsafeMutableBufferPointer { out in
                    columns.withUnsafeMutableBufferPointer { c in
                        for s in 0..<g.batch {
                            g.im2col(input.baseAddress! + s * g.inputSize, c.baseAddress!)
                            gemm(.transposed, .none, m: g.patchSize, n: outputChannels, k: g.positions, a: c.baseAddress!,
                                 b: gradient.baseAddress! + s * g.positions * outputChannels, beta: 1, c: out.baseAddress!)
                        }
                    }
                }
            }
        }
        return dw
    }

    @Test(arguments: shapes, WinogradTile.allCases)
    func kernelGradientMatchesIm2col(_ sizes: [Int], tile: WinogradTile) {
        let x = randomTensor([sizes[0], sizes[1], sizes[2], sizes[3]], seed: 21)
        let dy = randomTensor([sizes[0], sizes[1], sizes[2], sizes[4]], seed: 22)
        let winograd = x.scalars.withUnsafeBufferPointer { input in
            dy.scalars.withUnsafeBufferPointer { gradient in
                WinogradConvolution.kernelGradient(input: input.baseAddress!, gradient: gradient.baseAddress!, batch: sizes[0], height: sizes[1],
                                                   width: sizes[2], inputChannels: sizes[3], outputChannels: sizes[4], tile: tile)
            }
        }
        let reference = Self.referenceKernelGradient(x, dy, outputChannels: sizes[4])
        let scale = max(1, reference.map(abs).max()!)
        #expect(zip(winograd, reference).map { abs($0 - $1) }.max()! / scale < 1e-5)
    }
}
