import Foundation
import Testing
import TestSupport
@testable import Audio

@Suite struct ResamplerAndExportTests {
    @Test func resamplingKeepsDurationAndFrequency() throws {
        let rate = 8000
        let tone = AudioSignal(samples: (0..<8000).map { Float(sin(2 * Double.pi * 500 * Double($0) / Double(rate))) * 0.5 }, sampleRate: rate)
        let resampled = try Resampler.resample(tone, to: 16000)
        #expect(resampled.sampleRate == 16000)
        #expect(abs(resampled.samples.count - 16000) <= 2)
        // 500 Hz over 1 s: 1000 zero crossings, ±2 at the edges.
        let crossings = zip(resampled.samples, resampled.samples.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
        #expect(abs(crossings - 1000) <= 2)
    }

    @Test func numpyFilesRoundTrip() throws {
        let values: [Float] = (0..<12).map { Float($0) * 0.5 }
        let data = NumpyArrayFile.encode(values, shape: [3, 4])
        #expect((data.count - 12 * 4) % 64 == 0)  // header padded to a multiple of 64
        let decoded = try NumpyArrayFile.decode(data)
        #expect(decoded.shape == [3, 4] && decoded.values == values)
    }

    @Test func parallelExtractionReportsEveryBadFileAndKeepsOrder() throws {
        let folder = TemporaryDirectory()
        let good = folder.path("GOOD.WAV")
        try AudioFile.write(VoiceActivityTests.recording(), to: good, format: .sphere16)
        let silent = folder.path("silent.wav")
        try AudioFile.write(AudioSignal(samples: .init(repeating: 0, count: 16000), sampleRate: 16000), to: silent)
        let noSpeech = folder.path("hiss.wav")
        try AudioFile.write(AudioSignal(samples: (0..<16000).map { _ in Float.random(in: -0.0005...0.0005) }, sampleRate: 16000), to: noSpeech)
        let missing = folder.path("missing.flac")
        let settings = FeatureSettings(voiceDecision: .energy(threshold: 15))
        let results = ParallelFeatureExtraction.run(paths: [good, silent, missing, noSpeech, good], settings: settings, threads: 2)
        #expect(results.count == 5)
        guard case let .success(features) = results[0], case let .success(again) = results[4] else {
            Issue.record("the good file should extract: \(results[0])")
            return
        }
        #expect(features.frames == 299 && features.bands == 40)
        #expect(features == again)
        for (index, reason) in [(1, "silent"), (2, "no such file"), (3, "no speech")] {
            guard case let .failure(error) = results[index] else { Issue.record("file \(index) should fail"); continue }
            #expect(error.description.contains(reason), "\(error)")
        }
    }
}

extension ResamplerAndExportTests {
    /// FFTW plans are made by the VAD and by the feature extractor on every thread: they must share
    /// one planner lock (two locks once let two planners run at once and hung FFTW).
    @Test func manyThreadsPlanningFFTsAtOnceFinishWithEqualResults() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("speech.wav")
        try AudioFile.write(VoiceActivityTests.recording(), to: path)
        let settings = FeatureSettings(voiceDecision: .adaptive(aggressiveness: 1))
        for _ in 0..<5 {
            let results = ParallelFeatureExtraction.run(paths: Array(repeating: path, count: 16), settings: settings, threads: 8)
            let features = results.map { try! $0.get() }
            #expect(features.allSatisfy { $0 == features[0] })
        }
    }
}
