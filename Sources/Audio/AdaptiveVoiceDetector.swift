#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A frame-level voice detector that adapts to each recording's noise floor.
///
/// Each frame is windowed (Hann) and transformed; its energy is summed into four speech bands
/// (80–400, 400–1000, 1000–2500, 2500–4000 Hz, in dB). The noise floor of each band starts at the
/// recording's 10th-percentile band energy and is then tracked frame by frame: it falls quickly
/// toward quieter frames and rises slowly, so stationary noise is learned and speech is not.
/// A frame is voiced when its mean band SNR exceeds the threshold for the aggressiveness, or one
/// band exceeds it by 6 dB (voiced fricatives and nasals live in one band). Frames with no
/// more energy than 16-bit quantisation noise are never voiced.
struct AdaptiveVoiceDetector {
    /// The SNR (dB) a frame must show at aggressiveness 0, 1, 2, 3.
    static let thresholds: [Double] = [4, 6, 9, 12]
    /// The band edges in Hz.
    static let bandEdges: [Double] = [80, 400, 1000, 2500, 4000]

    let threshold: Double
    let frameLength: Int
    let sampleRate: Int
    let fft: RealFFT
    let window: [Float]

    init(aggressiveness: Int, frameLength: Int, sampleRate: Int) {
        precondition((0...3).contains(aggressiveness), "aggressiveness must be 0…3, got \(aggressiveness)")
        threshold = Self.thresholds[aggressiveness]
        self.frameLength = frameLength
        self.sampleRate = sampleRate
        var size = 1
        while size < frameLength { size *= 2 }
        fft = RealFFT(size: size)
        window = (0..<frameLength).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(frameLength))) }
    }

    /// Band energies (dB) of every frame.
    func bandEnergies(_ samples: [Float], frameCount: Int) -> [[Double]] {
        let binWidth = Double(sampleRate) / Double(fft.size)
        let bandBins = (0..<(Self.bandEdges.count - 1)).map { band in
            Int((Self.bandEdges[band] / binWidth).rounded())..<min(fft.binCount, Int((Self.bandEdges[band + 1] / binWidth).rounded()))
        }
        var frame = [Float](repeating: 0, count: frameLength)
        var power = [Float](repeating: 0, count: fft.binCount)
        return (0..<frameCount).map { index in
            for offset in 0..<frameLength { frame[offset] = samples[index * frameLength + offset] * window[offset] }
            frame.withUnsafeBufferPointer { input in power.withUnsafeMutableBufferPointer { fft.powerSpectrum(of: input, into: $0) } }
            return bandBins.map { bins in
                var sum: Double = 0
                for bin in bins { sum += Double(power[bin]) }
                return 10 * log10(sum + 1e-12)
            }
        }
    }

    mutating func decide(_ samples: [Float], frameCount: Int) -> [Bool] {
        guard frameCount > 0 else { return [] }
        let energies = bandEnergies(samples, frameCount: frameCount)
        let bandCount = Self.bandEdges.count - 1
        // Quantisation noise of 16-bit audio over a frame, per band, is far below this floor (dB).
        let silenceFloor = 10 * log10(Double(frameLength) * 1e-8)
        var noise = (0..<bandCount).map { band -> Double in
            let sorted = energies.map { $0[band] }.sorted()
            return sorted[min(sorted.count - 1, sorted.count / 10)]
        }
        var decisions: [Bool] = []
        decisions.reserveCapacity(frameCount)
        for bands in energies {
            let snr = (0..<bandCount).map { bands[$0] - noise[$0] }
            let mean = snr.reduce(0, +) / Double(bandCount)
            let loudEnough = bands.max()! > silenceFloor
            let voiced = loudEnough && (mean > threshold || snr.max()! > threshold + 6)
            decisions.append(voiced)
            for band in 0..<bandCount {
                let difference = bands[band] - noise[band]
                // Fall fast toward quieter frames; rise slowly, and not at all during speech.
                if difference < 0 { noise[band] += 0.3 * difference } else if !voiced { noise[band] += 0.02 * difference }
            }
        }
        return decisions
    }
}
