/// Winograd F(m×m, 3×3) for 3×3 convolutions with stride 1, no dilation and TF `same` padding
/// (one pixel on each side), over NHWC; m is 2 or 4 (`WinogradTile`), chosen by the map size.
///
/// Each m×m block of outputs ("tile") is computed from an α×α input patch (α = m + 2) as
/// Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, so a convolution becomes α² GEMMs of
/// [tiles × C_in] · [C_in × C_out] (one per position in the transformed tile): 2.25× fewer
/// multiplications than im2col + GEMM with F(2×2), 4× with F(4×4). The transforms run across
/// channels, which are contiguous in NHWC, so every step is a vector loop. The input gradient is
/// the same convolution of the output gradient with the kernel flipped in space and its channel
/// axes swapped, so forward and backward share one kernel. The im2col path stays beside it as the
/// test oracle (`Tests/TensorTests`).
struct WinogradConvolution {
    /// The tile size.
    let tile: WinogradTile
    /// Transformed filter: α² matrices [C_in × C_out], one per tile position.
    let filter: UnsafePointer<Float>
    let inputChannels: Int, outputChannels: Int

    /// Whether a convolution's geometry is one Winograd computes.
    static func applies(to g: ConvolutionGeometry) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.strideHeight == 1 && g.strideWidth == 1
            && g.dilationHeight == 1 && g.dilationWidth == 1 && g.padTop == 1 && g.padLeft == 1
            && g.outputHeight == g.height && g.outputWidth == g.width
    }

    /// Transforms a kernel [3, 3, C_in, C_out] to U = G g Gᵀ; `adjoint` builds the input-gradient
    /// convolution's filter instead: the kernel flipped in space with C_in and C_out swapped. The
    /// filter lives in this thread's scratch (`Scratch.Slot.filter`): use it before this thread
    /// makes another.
    init(kernel: UnsafePointer<Float>, inputChannels cin: Int, outputChannels cout: Int, adjoint: Bool, tile: WinogradTile) {
        let (rows, columns) = adjoint ? (cout, cin) : (cin, cout)
        self.tile = tile
        inputChannels = rows
        outputChannels = columns
        let alpha = tile.patch, size = rows * columns
        // The taps as [3, 3, rows, columns]: the kernel itself, or flipped and transposed.
        var taps = kernel
        if adjoint {
            let flipped = Scratch.buffer(.kernel, count: 9 * size)
            Parallel.chunks(9 * cout, minimumPerChunk: max(1, 8192 / cin)) { _, range in
                for index in range {
                    let (tap, row) = (index / cout, index % cout)
                    let source = kernel + (8 - tap) * size, target = flipped + tap * size + row * columns
                    for column in 0..<columns { target[column] = source[column * cout + row] }
                }
            }
            taps = UnsafePointer(flipped)
        }
        let output = Scratch.buffer(.filter, count: tile.positions * size)
        // Row by row of C_in (C_out for the adjoint), over vectors of the other channel axis:
        // G along the taps' columns, then along their rows.
        Parallel.chunks(rows, minimumPerChunk: max(1, 8192 / columns)) { _, range in
            let scratch = TileScratch(vectors: 3 * alpha, channels: columns)
            defer { scratch.deallocate() }
            let (left, sources, targets) = (scratch.rows, scratch.sources, scratch.targets)
            for row in range {
                for i in 0..<3 {
                    for j in 0..<3 { sources[j] = taps + (i * 3 + j) * size + row * columns }
                    for q in 0..<alpha { targets[q] = left + (i * alpha + q) * columns }
                    tile.transformFilter(sources, targets, count: columns)
                }
                for q in 0..<alpha {
                    for i in 0..<3 { sources[i] = UnsafePointer(left + (i * alpha + q) * columns) }
                    for p in 0..<alpha { targets[p] = output + (p * alpha + q) * size + row * columns }
                    tile.transformFilter(sources, targets, count: columns)
                }
            }
        }
        filter = UnsafePointer(output)
    }

    /// Bᵀ d B for every tile of one sample; position p of tile t goes to
    /// `transformed[p][tileOffset + t][channel]`.
    static func transformInput(_ tile: WinogradTile, _ input: UnsafePointer<Float>, channels c: Int, into transformed: UnsafeMutablePointer<Float>,
                               tileOffset: Int, tileCount: Int, height: Int, width: Int, tileRows: Range<Int>) {
        let alpha = tile.patch, m = tile.outputs, tileColumns = tile.tileColumns(width)
        let stride = tileCount * c
        // The α×α patch after the transform along its rows: α² vectors of C channels.
        let scratch = TileScratch(vectors: alpha * alpha, channels: c)
        defer { scratch.deallocate() }
        let (rows, sources, targets) = (scratch.rows, scratch.sources, scratch.targets)
        for tileRow in tileRows {
            for tileColumn in 0..<tileColumns {
                let top = tileRow * m - 1, left = tileColumn * m - 1
                for i in 0..<alpha {
                    let y = top + i
                    let rowInside = y >= 0 && y < height
                    // Pixels outside the input read a zero vector (the `same` padding).
                    for j in 0..<alpha {
                        let x = left + j
                        sources[j] = rowInside && x >= 0 && x < width ? input + (y * width + x) * c : scratch.zeros
                        targets[j] = rows + (i * alpha + j) * c
                    }
                    tile.transformInput(sources, targets, count: c)
                }
                // Along the columns, written to the α² positions.
                let at = tileOffset + tileRow * tileColumns + tileColumn
                for j in 0..<alpha {
                    for i in 0..<alpha {
                        sources[i] = UnsafePointer(rows + (i * alpha + j) * c)
                        targets[i] = transformed + (i * alpha + j) * stride + at * c
                    }
                    tile.transformInput(sources, targets, count: c)
                }
            }
        }
    }

    /// Aᵀ M A for every tile of one sample: the m×m outputs, clipped at the bottom and right edges.
    func transformOutput(_ products: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, tileOffset: Int, tileCount: Int,
                         height: Int, width: Int, tileRows: Range<Int>) {
        let c = outputChannels, alpha = tile.patch, m = tile.outputs, tileColumns = tile.tileColumns(width)
        let stride = tileCount * c
        // m × α vectors after the transform along columns, then one vector that clipped outputs go to.
        let scratch = TileScratch(vectors: m * alpha + 1, channels: c)
        defer { scratch.deallocate() }
        let (rows, sources, targets) = (scratch.rows, scratch.sources, scratch.targets)
        let discard = rows + m * alpha * c
        for tileRow in tileRows {
            for tileColumn in 0..<tileColumns {
                let at = tileOffset + tileRow * tileColumns + tileColumn
                for j in 0..<alpha {
                    for i in 0..<alpha { sources[i] = products + (i * alpha + j) * stride + at * c }
                    for a in 0..<m { targets[a] = rows + (a * alpha + j) * c }
                    tile.transformOutput(sources, targets, count: c)
                }
                for a in 0..<m {
                    let y = tileRow * m + a
                    guard y < height else { break }
                    for j in 0..<alpha { sources[j] = UnsafePointer(rows + (a * alpha + j) * c) }
                    for b in 0..<m {
                        let x = tileColumn * m + b
                        targets[b] = x < width ? output + (y * width + x) * c : discard
                    }
                    tile.transformOutput(sources, targets, count: c)
                }
            }
        }
    }

    /// A dY Aᵀ for every tile of one sample's output gradient (outputs past the bottom and right
    /// edges are zero); position p of tile t goes to `transformed[p][tileOffset + t][channel]`.
    static func transformGradient(_ tile: WinogradTile, _ gradient: UnsafePointer<Float>, channels c: Int, into transformed: UnsafeMutablePointer<Float>,
                                  tileOffset: Int, tileCount: Int, height: Int, width: Int, tileRows: Range<Int>) {
        let alpha = tile.patch, m = tile.outputs, tileColumns = tile.tileColumns(width)
        let stride = tileCount * c
        let scratch = TileScratch(vectors: m * alpha, channels: c)
        defer { scratch.deallocate() }
        let (rows, sources, targets) = (scratch.rows, scratch.sources, scratch.targets)
        for tileRow in tileRows {
            for tileColumn in 0..<tileColumns {
                // Each of the block's m rows, expanded along columns to α.
                for a in 0..<m {
                    let y = tileRow * m + a
                    for b in 0..<m {
                        let x = tileColumn * m + b
                        sources[b] = y < height && x < width ? gradient + (y * width + x) * c : scratch.zeros
                    }
                    for j in 0..<alpha { targets[j] = rows + (a * alpha + j) * c }
                    tile.transformGradient(sources, targets, count: c)
                }
                // Then along rows, for each of the α columns.
                let at = tileOffset + tileRow * tileColumns + tileColumn
                for j in 0..<alpha {
                    for a in 0..<m { sources[a] = UnsafePointer(rows + (a * alpha + j) * c) }
                    for i in 0..<alpha { targets[i] = transformed + (i * alpha + j) * stride + at * c }
                    tile.transformGradient(sources, targets, count: c)
                }
            }
        }
    }

    /// The kernel gradient [3, 3, C_in, C_out] of the convolution of `input` [N, H, W, C_in] whose
    /// output gradient is `gradient` [N, H, W, C_out]. The forward pass is linear in U = G g Gᵀ,
    /// so dU[p] = Σ_tiles (Bᵀ d B)[p] ⊗ (A dY Aᵀ)[p] (α² GEMMs [C_in × tiles] · [tiles × C_out])
    /// and dg = Gᵀ dU G. dU is summed over sample groups of a size fixed by the geometry, in order
    /// (the same bits at any thread count).
    static func kernelGradient(input: UnsafePointer<Float>, gradient: UnsafePointer<Float>, batch: Int, height: Int, width: Int,
                               inputChannels cin: Int, outputChannels cout: Int, tile: WinogradTile) -> [Float] {
        let tilesPerSample = tile.tiles(height: height, width: width), tileRows = tile.tileRows(height)
        let positions = tile.positions, alpha = tile.patch
        let size = cin * cout
        // dU accumulates group after group, in order; within a group the α² positions' GEMMs run
        // in parallel, each whole, so nothing depends on the thread count.
        let partial = Scratch.buffer(.partial, count: positions * size)
        partial.update(repeating: 0, count: positions * size)
        let group = samplesPerGroup(tilesPerSample: tilesPerSample, channels: max(cin, cout), positions: positions)
        let transformed = Scratch.buffer(.transformed, count: positions * tilesPerSample * group * cin)
        let transformedGradient = Scratch.buffer(.products, count: positions * tilesPerSample * group * cout)
        do {
            let partialBase = partial
            var first = 0
            while first < batch {
                let count = min(group, batch - first)
                let tileCount = tilesPerSample * count
                forEachTileRow(samples: count, tileRows: tileRows) { s, rows in
                    transformInput(tile, input + (first + s) * height * width * cin, channels: cin, into: transformed, tileOffset: s * tilesPerSample,
                                   tileCount: tileCount, height: height, width: width, tileRows: rows)
                    transformGradient(tile, gradient + (first + s) * height * width * cout, channels: cout, into: transformedGradient,
                                      tileOffset: s * tilesPerSample, tileCount: tileCount, height: height, width: width, tileRows: rows)
                }
                Parallel.chunks(positions) { _, range in
                    for position in range {
                        gemm(.transposed, .none, m: cin, n: cout, k: tileCount, a: transformed + position * tileCount * cin,
                             b: transformedGradient + position * tileCount * cout, beta: 1, c: partialBase + position * size)
                    }
                }
                first += count
            }
        }
        // dg = Gᵀ dU G over blocks of (C_in, C_out) pairs: Gᵀ along dU's columns, then along its rows.
        var result = [Float](unsafeUninitializedCapacity: 9 * size) { _, initialized in initialized = 9 * size }
        result.withUnsafeMutableBufferPointer { out in
            let outBase = out.baseAddress!, block = 1024
            Parallel.chunks((size + block - 1) / block, minimumPerChunk: 4) { _, range in
                let scratch = TileScratch(vectors: 3 * alpha, channels: block)
                defer { scratch.deallocate() }
                let (left, sources, targets) = (scratch.rows, scratch.sources, scratch.targets)
                for blockIndex in range {
                    let start = blockIndex * block, count = min(block, size - start)
                    for p in 0..<alpha {
                        for q in 0..<alpha { sources[q] = UnsafePointer(partial + (p * alpha + q) * size + start) }
                        for j in 0..<3 { targets[j] = left + (p * 3 + j) * block }
                        tile.transformFilterGradient(sources, targets, count: count)
                    }
                    for j in 0..<3 {
                        for p in 0..<alpha { sources[p] = UnsafePointer(left + (p * 3 + j) * block) }
                        for i in 0..<3 { targets[i] = outBase + (i * 3 + j) * size + start }
                        tile.transformFilterGradient(sources, targets, count: count)
                    }
                }
            }
        }
        return result
    }

    /// Samples per group so that each transformed buffer stays near 1 M floats (4 MB): a function
    /// of the geometry only, so every thread count cuts the batch the same way.
    static func samplesPerGroup(tilesPerSample: Int, channels: Int, positions: Int) -> Int {
        max(1, (1 << 20) / max(1, positions * tilesPerSample * channels))
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
    /// parallel over tile rows and the α² GEMMs in parallel over positions, each GEMM whole.
    func run(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, batch: Int, height: Int, width: Int) {
        let tilesPerSample = tile.tiles(height: height, width: width), tileRows = tile.tileRows(height)
        let cin = inputChannels, cout = outputChannels, positions = tile.positions, tile = tile
        let group = Self.samplesPerGroup(tilesPerSample: tilesPerSample, channels: max(cin, cout), positions: positions)
        let transformed = Scratch.buffer(.transformed, count: positions * tilesPerSample * group * cin)
        let products = Scratch.buffer(.products, count: positions * tilesPerSample * group * cout)
        do {
            let u = filter
            var first = 0
            while first < batch {
                let count = min(group, batch - first)
                let tileCount = tilesPerSample * count
                Self.forEachTileRow(samples: count, tileRows: tileRows) { s, rows in
                    Self.transformInput(tile, input + (first + s) * height * width * cin, channels: cin, into: transformed,
                                        tileOffset: s * tilesPerSample, tileCount: tileCount, height: height, width: width, tileRows: rows)
                }
                Parallel.chunks(positions) { _, range in
                    for position in range {
                        gemm(.none, .none, m: tileCount, n: cout, k: cin, a: transformed + position * tileCount * cin,
                             b: u + position * cin * cout, c: products + position * tileCount * cout)
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

/// One transform call's working memory: `vectors` vectors of C channels, a zero vector (what
/// pixels in the padding read), and the source and target pointer lists of the 1-D transforms.
struct TileScratch {
    let rows: UnsafeMutablePointer<Float>
    let zeros: UnsafePointer<Float>
    let sources: UnsafeMutablePointer<UnsafePointer<Float>>
    let targets: UnsafeMutablePointer<UnsafeMutablePointer<Float>>

    init(vectors: Int, channels: Int) {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: (vectors + 1) * channels)
        (buffer + vectors * channels).initialize(repeating: 0, count: channels)
        rows = buffer
        zeros = UnsafePointer(buffer + vectors * channels)
        sources = .allocate(capacity: 8)
        targets = .allocate(capacity: 8)
    }

    func deallocate() {
        rows.deallocate()
        sources.deallocate()
        targets.deallocate()
    }
}
