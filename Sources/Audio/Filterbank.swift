/// Triangular filters over FFT bins, stored sparsely: each filter is a run of weights from a start bin.
public struct Filterbank: Equatable, Sendable {
    /// The first bin each filter weights.
    public let startBins: [Int]
    /// Each filter's weights from its start bin on.
    public let weights: [[Float]]
    /// The number of FFT bins the filters apply to.
    public let binCount: Int

    /// The number of filters.
    public var count: Int { weights.count }

    /// Builds from a dense matrix [filters][bins], keeping each row's non-zero span.
    init(dense: [[Double]]) {
        binCount = dense.first?.count ?? 0
        var starts: [Int] = []
        var rows: [[Float]] = []
        for row in dense {
            let first = row.firstIndex { $0 != 0 } ?? 0
            let last = row.lastIndex { $0 != 0 } ?? -1
            starts.append(first)
            rows.append(last >= first ? row[first...last].map { Float($0) } : [])
        }
        startBins = starts
        weights = rows
    }

    /// python_speech_features 0.6 `get_filterbanks`: HTK mel points, edge bins
    /// floor((nfft + 1)·hz/rate), rising over [b_j, b_{j+1}) and falling over [b_{j+1}, b_{j+2}), peak 1.
    public static func speechFeatures(filters: Int, fftSize: Int, sampleRate: Int, lowHertz: Double = 0, highHertz: Double? = nil) -> Filterbank {
        let edges = speechFeaturesEdgeBins(filters: filters, fftSize: fftSize, sampleRate: sampleRate,
                                           lowHertz: lowHertz, highHertz: highHertz).map(Double.init)
        var dense = [[Double]](repeating: [Double](repeating: 0, count: fftSize / 2 + 1), count: filters)
        for j in 0..<filters {
            for i in Int(edges[j])..<Int(edges[j + 1]) { dense[j][i] = (Double(i) - edges[j]) / (edges[j + 1] - edges[j]) }
            for i in Int(edges[j + 1])..<Int(edges[j + 2]) { dense[j][i] = (edges[j + 2] - Double(i)) / (edges[j + 2] - edges[j + 1]) }
        }
        return Filterbank(dense: dense)
    }

    /// The filters + 2 edge bins of python_speech_features' filterbank: floor((nfft + 1)·hz/rate)
    /// at HTK-mel points evenly spaced from `lowHertz` to `highHertz`.
    public static func speechFeaturesEdgeBins(filters: Int, fftSize: Int, sampleRate: Int, lowHertz: Double = 0, highHertz: Double? = nil) -> [Int] {
        MelScale.htk.points(count: filters + 2, low: lowHertz, high: highHertz ?? Double(sampleRate) / 2)
            .map { Int((Double(fftSize + 1) * $0 / Double(sampleRate)).rounded(.down)) }
    }

    /// librosa `filters.mel`: triangles between mel-spaced frequencies evaluated at each bin's
    /// centre frequency, with Slaney area normalisation (2 / bandwidth) when `areaNormalised`.
    public static func librosa(filters: Int, fftSize: Int, sampleRate: Int, scale: MelScale, lowHertz: Double = 0,
                               highHertz: Double? = nil, areaNormalised: Bool = true) -> Filterbank {
        let high = highHertz ?? Double(sampleRate) / 2
        let binCount = fftSize / 2 + 1
        let frequencies = (0..<binCount).map { Double($0) * Double(sampleRate) / Double(fftSize) }
        let centres = scale.points(count: filters + 2, low: lowHertz, high: high)
        var dense = [[Double]](repeating: [Double](repeating: 0, count: binCount), count: filters)
        for j in 0..<filters {
            let lowerWidth = centres[j + 1] - centres[j], upperWidth = centres[j + 2] - centres[j + 1]
            let normaliser = areaNormalised ? 2 / (centres[j + 2] - centres[j]) : 1
            for (bin, frequency) in frequencies.enumerated() {
                let rising = (frequency - centres[j]) / lowerWidth
                let falling = (centres[j + 2] - frequency) / upperWidth
                dense[j][bin] = max(0, min(rising, falling)) * normaliser
            }
        }
        return Filterbank(dense: dense)
    }

    /// The weights of every filter back to back, for the inner loop.
    var packed: (weights: [Float], offsets: [Int]) {
        var offsets = [0]
        for row in weights { offsets.append(offsets.last! + row.count) }
        return (weights.flatMap { $0 }, offsets)
    }
}
