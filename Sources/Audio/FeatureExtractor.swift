#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Turns samples into features with reusable FFT plans and buffers. Not thread-safe: make one per thread.
public final class FeatureExtractor {
    /// The settings every call uses.
    public let settings: FeatureSettings

    private let spectra: FramePowerSpectra
    private let filterbank: Filterbank?
    private var power: [Float] = []

    /// python_speech_features' eps floor, numpy `finfo(float).eps`.
    static let speechFeaturesFloor = Float(2.220446049250313e-16)
    /// The offset inside log(S + offset) for librosa-style features.
    static let logOffset: Float = 1e-6

    /// Plans the transforms for `settings` (25 ms frames, 10 ms hop, NFFT 512 at 16 kHz; scaled with the rate).
    public init(settings: FeatureSettings) {
        self.settings = settings
        let rate = settings.sampleRate
        let frameLength = Int((0.025 * Double(rate)).rounded())
        let hop = Int((0.010 * Double(rate)).rounded())
        var fftSize = 1
        while fftSize < frameLength { fftSize *= 2 }
        switch settings.kind {
        case .logfbank:
            spectra = FramePowerSpectra(fftSize: fftSize, frameLength: frameLength, hop: hop)
            filterbank = .speechFeatures(filters: settings.bands, fftSize: fftSize, sampleRate: rate)
        case let .logmel(scale):
            let window = (0..<frameLength).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(frameLength))) }
            // Centred frames: frame t is centred on sample t·hop, the window centred in the FFT.
            spectra = FramePowerSpectra(fftSize: fftSize, frameLength: frameLength, hop: hop,
                                        offset: -fftSize / 2 + (fftSize - frameLength) / 2, window: window)
            filterbank = .librosa(filters: settings.bands, fftSize: fftSize, sampleRate: rate, scale: scale)
        case .spectrogram:
            let window = (0..<frameLength).map { Float(0.54 - 0.46 * cos(2 * Double.pi * Double($0) / Double(frameLength))) }
            spectra = FramePowerSpectra(fftSize: fftSize, frameLength: frameLength, hop: hop, window: window)
            filterbank = nil
        }
    }

    /// The number of frames a signal of `sampleCount` samples gives.
    public func frameCount(sampleCount: Int) -> Int {
        switch settings.kind {
        case .logmel:
            return 1 + sampleCount / spectra.hop
        case .logfbank, .spectrogram:
            // python_speech_features `framesig`: one frame, or 1 + ⌈(n − L)/hop⌉ with the tail zero-padded.
            if sampleCount <= spectra.frameLength { return 1 }
            return 1 + (sampleCount - spectra.frameLength + spectra.hop - 1) / spectra.hop
        }
    }

    /// Features of samples already on the chosen scale, before normalisation.
    public func features(of samples: [Float]) -> FeatureMatrix {
        let frames = frameCount(sampleCount: samples.count)
        let bins = spectra.binCount
        if power.count < frames * bins { power = [Float](repeating: 0, count: frames * bins) }
        var input = samples
        if case .logfbank = settings.kind { Self.preEmphasise(&input, coefficient: 0.97) }
        let scale: Float = settings.kind == .logfbank ? 1 / Float(spectra.fftSize) : 1
        power.withUnsafeMutableBufferPointer { powerBuffer in
            input.withUnsafeBufferPointer { spectra.compute($0, frameCount: frames, scale: scale, into: powerBuffer.baseAddress!) }
        }
        guard let filterbank else {
            let logarithmic = settings.kind == .spectrogram(logarithmic: true)
            let values = power[0..<(frames * bins)].map { logarithmic ? log($0 + Self.logOffset) : $0 }
            return FeatureMatrix(frames: frames, bands: bins, values: values)
        }
        let bands = filterbank.count
        var values = [Float](repeating: 0, count: frames * bands)
        let isSpeechFeatures = settings.kind == .logfbank
        power.withUnsafeBufferPointer { powerBuffer in
            values.withUnsafeMutableBufferPointer { out in
                for frame in 0..<frames {
                    let row = out.baseAddress! + frame * bands
                    filterbank.apply(powerBuffer.baseAddress! + frame * bins, into: row)
                    for band in 0..<bands {
                        row[band] = isSpeechFeatures
                            ? log(row[band] == 0 ? Self.speechFeaturesFloor : row[band])
                            : log(row[band] + Self.logOffset)
                    }
                }
            }
        }
        return FeatureMatrix(frames: frames, bands: bands, values: values)
    }

    /// y[0] = x[0], y[t] = x[t] − c·x[t−1].
    static func preEmphasise(_ samples: inout [Float], coefficient: Float) {
        guard samples.count > 1 else { return }
        var previous = samples[0]
        for index in 1..<samples.count {
            let current = samples[index]
            samples[index] = current - coefficient * previous
            previous = current
        }
    }
}
