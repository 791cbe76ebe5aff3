import Foundation
import Testing
import TestSupport
@testable import Audio

@Suite struct AudioFileTests {
    static func tone(count: Int, rate: Int = 16000) -> AudioSignal {
        AudioSignal(samples: (0..<count).map { Float(sin(2 * Double.pi * 440 * Double($0) / Double(rate)) * 0.5) }, sampleRate: rate)
    }

    @Test(arguments: [AudioFile.Format.wav16, .wav24, .wav32, .wavFloat, .flac16, .sphere16])
    func writtenFileReadsBackWithTheSameSamples(format: AudioFile.Format) throws {
        let folder = TemporaryDirectory()
        let path = folder.path("tone.audio")
        let signal = Self.tone(count: 4801)
        try AudioFile.write(signal, to: path, format: format)
        let read = try AudioFile.read(path)
        #expect(read.sampleRate == 16000)
        #expect(read.samples.count == 4801)
        // 16-bit quantisation is the coarsest: half a step is 1/65536.
        let worst = zip(read.samples, signal.samples).map { abs($0 - $1) }.max()!
        #expect(worst <= 1.0 / 32768)
    }

    @Test func timitStyleSphereFileWithUpperCaseNameReadsItsSampleCount() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("SA1.WAV")
        try AudioFile.write(Self.tone(count: 46797), to: path, format: .sphere16)
        let header = try String(decoding: FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readData(ofLength: 8), as: UTF8.self)
        #expect(header.hasPrefix("NIST_1A"))
        let read = try AudioFile.read(path)
        #expect(read.samples.count == 46797)
        #expect(read.sampleRate == 16000)
    }

    @Test func missingAndNonAudioFilesNameThePath() throws {
        let folder = TemporaryDirectory()
        let missing = folder.path("absent.wav")
        #expect(throws: AudioError.self) { try AudioFile.read(missing) }
        let text = folder.path("notes.wav")
        try "not audio".write(toFile: text, atomically: true, encoding: .utf8)
        do {
            _ = try AudioFile.read(text)
            Issue.record("reading a text file should fail")
        } catch let error as AudioError {
            #expect(error.path == text)
            #expect(error.description.contains("libsndfile"))
        }
    }

    @Test func aTruncatedWAVIsAnErrorNotAShorterRecording() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("cut.wav")
        try AudioFile.write(Self.tone(count: 8000), to: path, format: .wav16)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - 1000).write(to: URL(fileURLWithPath: path))
        #expect { try AudioFile.read(path) } throws: { "\($0)".contains("cut.wav: error: truncated") }
    }

    @Test func channelsAreAveragedToMono() {
        #expect(AudioFile.mixToMono([1, 0, 0.5, 0.5, -1, 1], channels: 2) == [0.5, 0.5, 0])
    }
}
