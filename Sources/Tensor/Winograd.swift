/// Winograd F(2×2, 3×3) for 3×3 convolutions with stride 1, no dilation and TF `same`
/// padding (one pixel on each side), over NHWC.
///
/// Each 2×2 block of outputs ("tile") is computed from a 4×4 input patch as
/// Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, so a convolution becomes 16 GEMMs of
/// [tiles × C_in] · [C_in × C_out] (one per position in the 4×4 transformed tile) with 2.25×
/// fewer multiplications than im2col + GEMM. The transforms run across channels, which are
/// contiguous in NHWC, so every step is a vector loop. The input gradient is the same
/// convolution of the output gradient with the kernel flipped in space and its channel axes
/// swapped, so forward and backward share one kernel. The im2col path stays beside it as the
/// test oracle (`Tests/TensorTests`).
struct WinogradConvolution {
    /// Transformed filter: 16 matrices [C_in × C_out], one per tile position.
    let filter: [Float]
    let inputChannels: Int, outputChannels: Int

    /// Whether a convolution's geometry is one Winograd F(2×2, 3×3) computes.
    static func applies(to g: ConvolutionGeometry) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.strideHeight == 1 && g.strideWidth == 1
            && g.dilationHeight == 1 && g.dilationWidth == 1 && g.padTop == 1 && g.padLeft == 1
            && g.outputHeight == g.height && g.outputWidth == g.width
    }

    /// Transforms a kernel [3, 3, C_in, C_out]; `adjoint` builds the input-gradient convolution's
    /// filter instead: the kernel flipped in space with C_in and C_out swapped.
    init(kernel: UnsafePointer<Float>, inputChannels cin: Int, outputChannels cout: Int, adjoint: Bool) {
        let (rows, columns) = adjoint ? (cout, cin) : (cin, cout)
        inputChannels = rows
        outputChannels = columns
        var transformed = [Float](unsafeUninitializedCapacity: 16 * rows * columns) { _, count in count = 16 * rows * columns }
        transformed.withUnsafeMutableBufferPointer { u in
            let base = u.baseAddress!
            let size = rows * columns
            // One filter tap g[i][j] as a [rows × columns] matrix, flipped and transposed for the adjoint.
            func tap(_ i: Int, _ j: Int, _ row: Int, _ column: Int) -> Float {
                adjoint ? kernel[((2 - i) * 3 + (2 - j)) * cin * cout + column * cout + row]
                        : kernel[(i * 3 + j) * cin * cout + row * cout + column]
            }
            for row in 0..<rows {
                for column in 0..<columns {
                    let (g00, g01, g02) = (tap(0, 0, row, column), tap(0, 1, row, column), tap(0, 2, row, column))
                    let (g10, g11, g12) = (tap(1, 0, row, column), tap(1, 1, row, column), tap(1, 2, row, column))
                    let (g20, g21, g22) = (tap(2, 0, row, column), tap(2, 1, row, column), tap(2, 2, row, column))
                    // (G g) Gᵀ with G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]]: row i of G g is
                    // (a, b, c); its transformed row is (a, ½(a + b + c), ½(a − b + c), c).
                    func emit(_ i: Int, _ a: Float, _ b: Float, _ c: Float) {
                        let at = base + i * 4 * size + row * columns + column
                        at[0] = a
                        at[size] = 0.5 * (a + b + c)
                        at[2 * size] = 0.5 * (a - b + c)
                        at[3 * size] = c
                    }
                    emit(0, g00, g01, g02)
                    emit(1, 0.5 * (g00 + g10 + g20), 0.5 * (g01 + g11 + g21), 0.5 * (g02 + g12 + g22))
                    emit(2, 0.5 * (g00 - g10 + g20), 0.5 * (g01 - g11 + g21), 0.5 * (g02 - g12 + g22))
                    emit(3, g20, g21, g22)
                }
            }
        }
        filter = transformed
    }

    /// Tiles of one sample: ⌈H/2⌉ × ⌈W/2⌉.
    static func tiles(height: Int, width: Int) -> Int { ((height + 1) / 2) * ((width + 1) / 2) }

    /// Bᵀ d B for every tile of one sample, with Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]];
    /// position p of tile t goes to `transformed[p][tileOffset + t][channel]`.
    static func transformInput(_ input: UnsafePointer<Float>, channels c: Int, into transformed: UnsafeMutablePointer<Float>, tileOffset: Int,
                               tileCount: Int, height: Int, width: Int, tileRows: Range<Int>? = nil) {
        let tileColumns = (width + 1) / 2
        let stride = tileCount * c
        // The 4×4 patch's rows after the column transform: 16 vectors of C channels.
        let (rowsBuffer, zeros) = tileScratch(vectors: 16, channels: c)
        defer { rowsBuffer.deallocate() }
        for tileRow in tileRows ?? 0..<((height + 1) / 2) {
            for tileColumn in 0..<tileColumns {
                let top = tileRow * 2 - 1, left = tileColumn * 2 - 1
                // Column transform of each of the four patch rows: r[i][·] = d[i][·] Bᵀ-combined along columns.
                for i in 0..<4 {
                    let y = top + i
                    let rowInside = y >= 0 && y < height
                    // Pixels outside the input read a zero vector (the `same` padding).
                    func pixel(_ j: Int) -> UnsafePointer<Float> {
                        rowInside && left + j >= 0 && left + j < width ? input + (y * width + left + j) * c : zeros
                    }
                    let (d0, d1, d2, d3) = (pixel(0), pixel(1), pixel(2), pixel(3))
                    let r = rowsBuffer + i * 4 * c
                    for channel in 0..<c {
                        r[channel] = d0[channel] - d2[channel]
                        r[c + channel] = d1[channel] + d2[channel]
                        r[2 * c + channel] = d2[channel] - d1[channel]
                        r[3 * c + channel] = d1[channel] - d3[channel]
                    }
                }
                // Row transform, written to the 16 positions.
                let tile = tileOffset + tileRow * tileColumns + tileColumn
                for j in 0..<4 {
                    let r0 = rowsBuffer + j * c, r1 = rowsBuffer + (4 + j) * c, r2 = rowsBuffer + (8 + j) * c, r3 = rowsBuffer + (12 + j) * c
                    let o0 = transformed + (0 * 4 + j) * stride + tile * c
                    let o1 = transformed + (1 * 4 + j) * stride + tile * c
                    let o2 = transformed + (2 * 4 + j) * stride + tile * c
                    let o3 = transformed + (3 * 4 + j) * stride + tile * c
                    for channel in 0..<c {
                        o0[channel] = r0[channel] - r2[channel]
                        o1[channel] = r1[channel] + r2[channel]
                        o2[channel] = r2[channel] - r1[channel]
                        o3[channel] = r1[channel] - r3[channel]
                    }
                }
            }
        }
    }

    /// Aᵀ m A for every tile of one sample, with Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]: the 2×2
    /// outputs, clipped at the bottom and right edges.
    func transformOutput(_ products: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, tileOffset: Int, tileCount: Int,
                         height: Int, width: Int, tileRows: Range<Int>? = nil) {
        let c = outputChannels
        let tileColumns = (width + 1) / 2
        let stride = tileCount * c
        let rowsBuffer = UnsafeMutablePointer<Float>.allocate(capacity: 8 * c)
        defer { rowsBuffer.deallocate() }
        for tileRow in tileRows ?? 0..<((height + 1) / 2) {
            for tileColumn in 0..<tileColumns {
                let tile = tileOffset + tileRow * tileColumns + tileColumn
                // Combine the four rows of each column j into two: s0 = m0 + m1 + m2, s1 = m1 − m2 − m3.
                for j in 0..<4 {
                    let m0 = products + (0 * 4 + j) * stride + tile * c, m1 = products + (1 * 4 + j) * stride + tile * c
                    let m2 = products + (2 * 4 + j) * stride + tile * c, m3 = products + (3 * 4 + j) * stride + tile * c
                    let s0 = rowsBuffer + j * c, s1 = rowsBuffer + (4 + j) * c
                    for channel in 0..<c {
                        s0[channel] = m0[channel] + m1[channel] + m2[channel]
                        s1[channel] = m1[channel] - m2[channel] - m3[channel]
                    }
                }
                for a in 0..<2 {
                    let y = tileRow * 2 + a
                    guard y < height else { continue }
                    let s = rowsBuffer + a * 4 * c
                    let (s0, s1, s2, s3) = (s, s + c, s + 2 * c, s + 3 * c)
                    let x = tileColumn * 2
                    let left = output + (y * width + x) * c
                    for channel in 0..<c { left[channel] = s0[channel] + s1[channel] + s2[channel] }
                    if x + 1 < width {
                        let right = left + c
                        for channel in 0..<c { right[channel] = s1[channel] - s2[channel] - s3[channel] }
                    }
                }
            }
        }
    }

    /// The kernel gradient [3, 3, C_in, C_out] of the convolution of `input` [N, H, W, C_in] whose
    /// output gradient is `gradient` [N, H, W, C_out]. The forward pass is linear in U = G g Gᵀ,
    /// so dU[p] = Σ_tiles (Bᵀ d B)[p] ⊗ (A dY Aᵀ)[p] (16 GEMMs [C_in × tiles] · [tiles × C_out])
    /// and dg = Gᵀ dU G. dU is summed over sample groups of a size fixed by the geometry, in order
    /// (the same bits at any thread count).
    static func kernelGradient(input: UnsafePointer<Float>, gradient: UnsafePointer<Float>, batch: Int, height: Int, width: Int,
                               inputChannels cin: Int, outputChannels cout: Int) -> [Float] {
        let tilesPerSample = tiles(height: height, width: width), tileRows = (height + 1) / 2
        let size = cin * cout
        // dU accumulates group after group, in order; within a group the 16 positions' GEMMs run in
        // parallel, each whole, so nothing depends on the thread count.
        var partial = [Float](repeating: 0, count: 16 * size)
        let group = samplesPerGroup(tilesPerSample: tilesPerSample, channels: max(cin, cout))
        let transformed = Scratch.buffer(.transformed, count: 16 * tilesPerSample * group * cin)
        let transformedGradient = Scratch.buffer(.products, count: 16 * tilesPerSample * group * cout)
        partial.withUnsafeMutableBufferPointer { partialBuffer in
            let partialBase = partialBuffer.baseAddress!
            var first = 0
            while first < batch {
                let count = min(group, batch - first)
                let tileCount = tilesPerSample * count
                forEachTileRow(samples: count, tileRows: tileRows) { s, rows in
                    transformInput(input + (first + s) * height * width * cin, channels: cin, into: transformed, tileOffset: s * tilesPerSample,
                                   tileCount: tileCount, height: height, width: width, tileRows: rows)
                    transformGradient(gradient + (first + s) * height * width * cout, channels: cout, into: transformedGradient,
                                      tileOffset: s * tilesPerSample, tileCount: tileCount, height: height, width: width, tileRows: rows)
                }
                Parallel.chunks(16) { _, positions in
                    for position in positions {
                        gemm(.transposed, .none, m: cin, n: cout, k: tileCount, a: transformed + position * tileCount * cin,
                             b: transformedGradient + position * tileCount * cout, beta: 1, c: partialBase + position * size)
                    }
                }
                first += count
            }
        }
        // dg = Gᵀ dU G with Gᵀ = [[1, ½, ½, 0], [0, ½, −½, 0], [0, ½, ½, 1]], per (C_in, C_out) pair.
        var result = [Float](unsafeUninitializedCapacity: 9 * size) { _, initialized in initialized = 9 * size }
        partial.withUnsafeBufferPointer { partialBuffer in
            result.withUnsafeMutableBufferPointer { out in
                let (partialBase, outBase) = (partialBuffer.baseAddress!, out.baseAddress!)
                Parallel.chunks(size, minimumPerChunk: 4096) { _, range in
                  withUnsafeTemporaryAllocation(of: Float.self, capacity: 28) { temporary in
                    let u = temporary.baseAddress!, left = u + 16
                    for index in range {
                        for position in 0..<16 { u[position] = partialBase[position * size + index] }
                        // Columns first: each row p of dU (four values) becomes three.
                        for p in 0..<4 {
                            let (a, b, c, d) = (u[p * 4], u[p * 4 + 1], u[p * 4 + 2], u[p * 4 + 3])
                            left[p * 3] = a + 0.5 * (b + c)
                            left[p * 3 + 1] = 0.5 * (b - c)
                            left[p * 3 + 2] = 0.5 * (b + c) + d
                        }
                        for j in 0..<3 {
                            let (a, b, c, d) = (left[j], left[3 + j], left[6 + j], left[9 + j])
                            outBase[(0 * 3 + j) * size + index] = a + 0.5 * (b + c)
                            outBase[(1 * 3 + j) * size + index] = 0.5 * (b - c)
                            outBase[(2 * 3 + j) * size + index] = 0.5 * (b + c) + d
                        }
                    }
                  }
                }
            }
        }
        return result
    }

    /// A dY Aᵀ for every tile of one sample's output gradient, with A = [[1, 0], [1, 1], [1, −1], [0, −1]]
    /// (outputs past the bottom and right edges are zero); position p of tile t goes to
    /// `transformed[p][tileOffset + t][channel]`.
    static func transformGradient(_ gradient: UnsafePointer<Float>, channels c: Int, into transformed: UnsafeMutablePointer<Float>,
                                  tileOffset: Int, tileCount: Int, height: Int, width: Int, tileRows: Range<Int>? = nil) {
        let tileColumns = (width + 1) / 2
        let stride = tileCount * c
        let (rowsBuffer, zeros) = tileScratch(vectors: 8, channels: c)
        defer { rowsBuffer.deallocate() }
        for tileRow in tileRows ?? 0..<((height + 1) / 2) {
            for tileColumn in 0..<tileColumns {
                // Row a of the 2×2 gradient block, expanded along columns to four: (d0, d0 + d1, d0 − d1, −d1).
                for a in 0..<2 {
                    let y = tileRow * 2 + a, x = tileColumn * 2
                    let d0 = y < height ? gradient + (y * width + x) * c : zeros
                    let d1 = y < height && x + 1 < width ? gradient + (y * width + x + 1) * c : zeros
                    let r = rowsBuffer + a * 4 * c
                    for channel in 0..<c {
                        r[channel] = d0[channel]
                        r[c + channel] = d0[channel] + d1[channel]
                        r[2 * c + channel] = d0[channel] - d1[channel]
                        r[3 * c + channel] = -d1[channel]
                    }
                }
                // Then along rows: (r0, r0 + r1, r0 − r1, −r1) for each of the four columns.
                let tile = tileOffset + tileRow * tileColumns + tileColumn
                for j in 0..<4 {
                    let r0 = rowsBuffer + j * c, r1 = rowsBuffer + (4 + j) * c
                    let o0 = transformed + (0 * 4 + j) * stride + tile * c
                    let o1 = transformed + (1 * 4 + j) * stride + tile * c
                    let o2 = transformed + (2 * 4 + j) * stride + tile * c
                    let o3 = transformed + (3 * 4 + j) * stride + tile * c
                    for channel in 0..<c {
                        o0[channel] = r0[channel]
                        o1[channel] = r0[channel] + r1[channel]
                        o2[channel] = r0[channel] - r1[channel]
                        o3[channel] = -r1[channel]
                    }
                }
            }
        }
    }

    /// One allocation holding `vectors` working vectors of C channels, then one zero vector (what
    /// pixels in the padding read); the caller deallocates the first pointer.
    static func tileScratch(vectors: Int, channels: Int) -> (rows: UnsafeMutablePointer<Float>, zeros: UnsafePointer<Float>) {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: (vectors + 1) * channels)
        (buffer + vectors * channels).initialize(repeating: 0, count: channels)
        return (buffer, UnsafePointer(buffer + vectors * channels))
    }

    /// Samples per group so that each transformed buffer stays near 4 M floats (16 MB): a function
    /// of the geometry only, so every thread count cuts the batch the same way.
    static func samplesPerGroup(tilesPerSample: Int, channels: Int) -> Int {
        max(1, (1 << 20) / max(1, 16 * tilesPerSample * channels))
    }

    /// Calls `body(sample, tileRows)` over every tile row of `samples` samples, in parallel: the
    /// transforms write disjoint tiles, so how the rows are split changes nothing.
    static func forEachTileRow(samples: Int, tileRows: Int, _ body: (_ sample: Int, _ rows: Range<Int>) -> Void) {
        Parallel.chunks(samples * tileRows) { _, range in
            var index = range.lowerBound
            while index < range.upperBound {
                let sample = index / tileRows, row = index % tileRows
                let end = min(range.upperBound, (sample + 1) * tileRows)
                body(sample, row..<(row + end - index))
                index = end
            }
        }
    }

    /// Runs the convolution over a whole batch: `input` [N, H, W, C_in] → `output` [N, H, W, C_out].
    /// The batch goes in groups of a size fixed by the geometry; in each, the transforms run in
    /// parallel over tile rows and the 16 GEMMs in parallel over positions, each GEMM whole.
    func run(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, batch: Int, height: Int, width: Int) {
        let tilesPerSample = Self.tiles(height: height, width: width), tileRows = (height + 1) / 2
        let cin = inputChannels, cout = outputChannels
        let group = Self.samplesPerGroup(tilesPerSample: tilesPerSample, channels: max(cin, cout))
        let transformed = Scratch.buffer(.transformed, count: 16 * tilesPerSample * group * cin)
        let products = Scratch.buffer(.products, count: 16 * tilesPerSample * group * cout)
        filter.withUnsafeBufferPointer { u in
            var first = 0
            while first < batch {
                let count = min(group, batch - first)
                let tileCount = tilesPerSample * count
                Self.forEachTileRow(samples: count, tileRows: tileRows) { s, rows in
                    Self.transformInput(input + (first + s) * height * width * cin, channels: cin, into: transformed, tileOffset: s * tilesPerSample,
                                        tileCount: tileCount, height: height, width: width, tileRows: rows)
                }
                Parallel.chunks(16) { _, positions in
                    for position in positions {
                        gemm(.none, .none, m: tileCount, n: cout, k: cin, a: transformed + position * tileCount * cin,
                             b: u.baseAddress! + position * cin * cout, c: products + position * tileCount * cout)
                    }
                }
                Self.forEachTileRow(samples: count, tileRows: tileRows) { s, rows in
                    transformOutput(products, into: output + (first + s) * height * width * cout, tileOffset: s * tilesPerSample, tileCount: tileCount,
                                    height: height, width: width, tileRows: rows)
                }
                first += count
            }
        }
    }
}
