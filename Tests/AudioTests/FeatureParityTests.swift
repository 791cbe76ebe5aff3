import Foundation
import Testing
import TestSupport
@testable import Audio

/// Features of `Tests/Fixtures/audio/speechlike.wav` against python_speech_features 0.6 and
/// librosa 0.11 (`scripts/fixtures/audio_fixtures.py`). Tolerance: 1e-4 relative, measured against
/// max(|reference|, 1) because log energies pass through zero.
@Suite struct FeatureParityTests {
    static let folder = Fixtures.directory.appendingPathComponent("audio")

    static func reference(_ name: String) throws -> (shape: [Int], values: [Float]) {
        try NumpyArrayFile.decode(Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func samples(scale: SampleScale) throws -> [Float] {
        let signal = try AudioFile.read(folder.appendingPathComponent("speechlike.wav").path)
        switch scale {
        case .int16: return signal.samples.map { $0 * 32768 }
        case .unit: return signal.samples
        case .peak:
            let peak = signal.samples.reduce(0) { max($0, abs($1)) }
            return signal.samples.map { $0 / peak }
        }
    }

    static func check(kind: FeatureKind, scale: SampleScale, fixture: String, range: Range<Int>? = nil) throws {
        let extractor = FeatureExtractor(settings: FeatureSettings(voiceDecision: nil, cutPad: .none, kind: kind, scale: scale, normalization: .none))
        var input = try samples(scale: scale)
        if let range { input = Array(input[range]) }
        let features = extractor.features(of: input)
        let expected = try reference(fixture)
        #expect([features.frames, features.bands] == expected.shape)
        #expect(maximumRelativeError(features.values, expected.values, floor: 1) < 1e-4)
    }

    @Test func logfbankOnTheInt16ScaleMatchesSpeechFeatures() throws {
        try Self.check(kind: .logfbank, scale: .int16, fixture: "logfbank_int16.npy")
        // The first frame is digital silence: every band is log(eps).
        let features = FeatureExtractor(settings: FeatureSettings(voiceDecision: nil, cutPad: .none)).features(of: try Self.samples(scale: .int16))
        #expect(abs(features[0, 0] - -36.04365338911715) < 1e-5)
    }

    @Test func logfbankOnPeakNormalisedSamplesMatchesSpeechFeatures() throws {
        try Self.check(kind: .logfbank, scale: .peak, fixture: "logfbank_peak.npy")
    }

    @Test func aSignalShorterThanOneFrameIsPadded() throws {
        try Self.check(kind: .logfbank, scale: .int16, fixture: "logfbank_short.npy", range: 5000..<5300)
    }

    @Test(arguments: [(MelScale.slaney, "logmel_slaney.npy"), (.htk, "logmel_htk.npy")])
    func logMelMatchesLibrosa(scale: MelScale, fixture: String) throws {
        try Self.check(kind: .logmel(scale: scale), scale: .unit, fixture: fixture)
    }

    @Test func spectrogramMatchesNumpy() throws {
        try Self.check(kind: .spectrogram(logarithmic: true), scale: .unit, fixture: "spectrogram_log.npy")
    }

    @Test func mfccMatchesSpeechFeatures() throws {
        try Self.check(kind: .mfcc(coefficients: 20), scale: .int16, fixture: "mfcc_int16.npy")
        // c0 of a silent frame is √40 · log(eps); the other coefficients of a flat frame vanish.
        let features = FeatureExtractor(settings: FeatureSettings(voiceDecision: nil, cutPad: .none, kind: .mfcc(coefficients: 20)))
            .features(of: try Self.samples(scale: .int16))
        #expect(abs(features[0, 0] - Float(40.0.squareRoot() * -36.04365338911715)) < 1e-3)
        #expect((1..<20).allSatisfy { abs(features[0, $0]) < 1e-3 })
    }

    @Test func seedEdgeBinsAreTheReferenceList() {
        // Reference §2.5: the 42 edge bins of 40 HTK-mel filters, NFFT 512, 16 kHz.
        #expect(Filterbank.speechFeaturesEdgeBins(filters: 40, fftSize: 512, sampleRate: 16000) == [
            0, 1, 2, 4, 6, 8, 10, 12, 14, 16, 19, 21, 24, 27, 30, 33, 37, 41, 45, 49, 54,
            59, 64, 69, 75, 81, 88, 95, 103, 110, 119, 128, 137, 148, 158, 170, 182, 195, 209, 224, 239, 256,
        ])
        let bank = Filterbank.speechFeatures(filters: 40, fftSize: 512, sampleRate: 16000)
        #expect(bank.count == 40)
        // The last filter falls to bin 256 (exclusive): bin 256 is never weighted.
        #expect(bank.startBins[39] + bank.weights[39].count <= 256)
    }

    @Test func threeSecondsGiveThe299FramesOfTheSeed() {
        let extractor = FeatureExtractor(settings: FeatureSettings())
        #expect(extractor.frameCount(sampleCount: 48000) == 299)
        let features = extractor.features(of: [Float](repeating: 0, count: 48000))
        #expect(features.frames == 299 && features.bands == 40)
    }
}
