import Foundation
import Testing
import TestSupport
import Audio
@testable import Datasets

@Suite struct SyntheticCorpusTests {
    @Test func sameSeedWritesByteIdenticalFilesAndADifferentSeedDoesNot() throws {
        let a = TemporaryDirectory(), b = TemporaryDirectory(), c = TemporaryDirectory()
        let corpus = SyntheticCorpus(speakers: 3, utterancesPerSpeaker: 2, seed: 5)
        let first = try corpus.write(to: a.url.path)
        let second = try corpus.write(to: b.url.path)
        var other = corpus
        other.seed = 6
        let third = try other.write(to: c.url.path)
        #expect(first.count == 6)
        for (x, y) in zip(first, second) {
            #expect(x.id == y.id)
            #expect(FileManager.default.contents(atPath: x.path) == FileManager.default.contents(atPath: y.path))
        }
        #expect(FileManager.default.contents(atPath: first[0].path) != FileManager.default.contents(atPath: third[0].path))
    }

    @Test func utterancesHaveSilenceAtBothEndsForVAD() throws {
        let folder = TemporaryDirectory()
        let utterances = try SyntheticCorpus(speakers: 2, utterancesPerSpeaker: 2).write(to: folder.url.path)
        for utterance in utterances {
            let signal = try AudioFile.read(utterance.path)
            #expect(signal.sampleRate == 16000)
            #expect(signal.duration > 1.8 && signal.duration < 4.8)
            let result = VoiceActivityDetector(decision: .adaptive()).detect(signal)
            #expect(!result.segments.isEmpty)
            // Speech starts after the leading silence and ends before the trailing one.
            #expect(result.segments.first!.lowerBound > 16000 / 10)
            let lastVoicedFrame = result.frameDecisions.lastIndex(of: true)!
            #expect((lastVoicedFrame + 1) * result.frameLength < signal.samples.count - 16000 / 10)
        }
    }

    @Test func manifestRecordsDurationAndRateAndRoundTrips() throws {
        let folder = TemporaryDirectory()
        let utterances = try SyntheticCorpus(speakers: 2, utterancesPerSpeaker: 2).write(to: folder.url.path)
        let manifest = try Manifest(utterances: utterances)
        #expect(manifest.entries.count == 4)
        #expect(manifest.entries.allSatisfy { $0.sampleRate == 16000 && $0.duration > 0 })
        #expect(try Manifest.parse(manifest.csv, file: "m.csv").entries.map(\.utterance) == manifest.utterances)
    }
}
