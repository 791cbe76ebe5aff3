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
    private let packedWeights: [Float]
    private let packedOffsets: [Int]
    private let cepstrum: CepstralTransform

    /// python_speech_features' eps floor, numpy `finfo(float).eps`.
    static let speechFeaturesFloor = Float(2.220446049250313e-16)
    /// The offset inside log(S + offset) for librosa-style features.
    static let logOffset: Float = 1e-6

    /// Plans the transforms for `settings` (25 ms frames, 10 ms hop, NFFT 512 at 16 kHz; scaled with the rate).
    public init(settings: FeatureSettings) {
        self.settings = settings
        let rate = settings.sampleRate
        let frameLength = Self.frameLength(sampleRate: rate)
        let hop = Int((0.010 * Double(rate)).rounded())
        var fftSize = 1
        while fftSize < frameLength { fftSize *= 2 }
        switch settings.kind {
        case .logfbank, .mfcc:
            spectra = FramePowerSpectra(fftSize: fftSize, frameLength: frameLength, hop: hop, preEmphasis: 0.97)
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
        (packedWeights, packedOffsets) = filterbank?.packed ?? ([], [])
        cepstrum = CepstralTransform(bands: settings.kind.isCepstral ? settings.bands : 0)
    }

    /// The number of frames a signal of `sampleCount` samples gives.
    /// Samples in one 25 ms analysis frame: the shortest signal the front end can describe.
    public static func frameLength(sampleRate: Int) -> Int { Int((0.025 * Double(sampleRate)).rounded()) }

    public func frameCount(sampleCount: Int) -> Int {
        switch settings.kind {
        case .logmel:
            return 1 + sampleCount / spectra.hop
        case .logfbank, .mfcc, .spectrogram:
            // python_speech_features `framesig`: one frame, or 1 + ⌈(n − L)/hop⌉ with the tail zero-padded.
            if sampleCount <= spectra.frameLength { return 1 }
            return 1 + (sampleCount - spectra.frameLength + spectra.hop - 1) / spectra.hop
        }
    }

    /// Features of samples already on the chosen scale, before normalisation.
    public func features(of samples: [Float]) -> FeatureMatrix {
        features(of: samples, amplitudeScale: 1)
    }

    /// Features of `amplitudeScale · samples`, before normalisation. The scale is applied to the
    /// power spectrum (as its square), which saves a pass over the samples.
    public func features(of samples: [Float], amplitudeScale: Float) -> FeatureMatrix {
        let frames = frameCount(sampleCount: samples.count)
        let bins = spectra.binCount
        let batch = spectra.framesPerBatch
        let isSpeechFeatures = settings.kind == .logfbank || settings.kind.isCepstral
        let scale: Float = (isSpeechFeatures ? 1 / Float(spectra.fftSize) : 1) * amplitudeScale * amplitudeScale
        guard let filterbank else {
            // Spectrogram: transpose each batch back to frames × bins.
            var values = [Float](repeating: 0, count: frames * bins)
            values.withUnsafeMutableBufferPointer { out in
                samples.withUnsafeBufferPointer { input in
                    spectra.compute(input, frameCount: frames, scale: scale) { first, count, power in
                        for slot in 0..<count {
                            for bin in 0..<bins { out[(first + slot) * bins + bin] = power[bin * batch + slot] }
                        }
                    }
                }
                if settings.kind == .spectrogram(logarithmic: true) {
                    for index in out.indices { out[index] += Self.logOffset }
                    VectorLogarithm.apply(out.baseAddress!, count: out.count)
                }
            }
            return FeatureMatrix(frames: frames, bands: bins, values: values)
        }
        let bands = filterbank.count
        var values = [Float](repeating: 0, count: frames * bands)
        var accumulator = [Float](repeating: 0, count: batch)
        values.withUnsafeMutableBufferPointer { out in
            packedWeights.withUnsafeBufferPointer { weights in
                packedOffsets.withUnsafeBufferPointer { offsets in
                    filterbank.startBins.withUnsafeBufferPointer { starts in
                        accumulator.withUnsafeMutableBufferPointer { sums in
                            samples.withUnsafeBufferPointer { input in
                                spectra.compute(input, frameCount: frames, scale: scale) { first, count, power in
                                    // Each filter sums its bins for all frames of the batch at once:
                                    // the inner loop runs across frames, contiguous, and vectorises.
                                    for filter in 0..<bands {
                                        for slot in 0..<batch { sums[slot] = 0 }
                                        for offset in 0..<(offsets[filter + 1] - offsets[filter]) {
                                            let weight = weights[offsets[filter] + offset]
                                            let row = power + (starts[filter] + offset) * batch
                                            for slot in 0..<batch { sums[slot] += weight * row[slot] }
                                        }
                                        for slot in 0..<count { out[(first + slot) * bands + filter] = sums[slot] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // python_speech_features floors exact zeros at eps; librosa-style features add an offset.
            if isSpeechFeatures {
                for index in out.indices where out[index] == 0 { out[index] = Self.speechFeaturesFloor }
            } else {
                for index in out.indices { out[index] += Self.logOffset }
            }
            VectorLogarithm.apply(out.baseAddress!, count: out.count)
        }
        let logMel = FeatureMatrix(frames: frames, bands: bands, values: values)
        if case let .mfcc(coefficients) = settings.kind { return cepstrum.apply(logMel, coefficients: coefficients) }
        return logMel
    }
}
