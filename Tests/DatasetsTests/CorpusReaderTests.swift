import Foundation
import Testing
import TestSupport
import Audio
import Randomness
@testable import Datasets

@Suite struct CorpusReaderTests {
    /// Writes a tiny TIMIT tree: two dialect regions, three speakers, SA/SI/SX files, plus .PHN noise.
    static func timitTree(upperCase: Bool, format: AudioFile.Format) throws -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        func name(_ text: String) -> String { upperCase ? text.uppercased() : text.lowercased() }
        let tone = AudioSignal(samples: (0..<3200).map { Float(sin(Double($0) * 0.05)) * 0.3 }, sampleRate: 16000)
        for (usage, dialect, speaker) in [("train", "dr1", "fcjf0"), ("train", "dr2", "mdac0"), ("test", "dr1", "mabc1")] {
            let speakerPath = folder.path("\(name(usage))/\(name(dialect))/\(name(speaker))")
            try FileManager.default.createDirectory(atPath: speakerPath, withIntermediateDirectories: true)
            for sentence in ["sa1", "sa2", "si648", "sx19", "sx199"] {
                try AudioFile.write(tone, to: "\(speakerPath)/\(name(sentence)).\(name("wav"))", format: format)
                try "0 3200 h#".write(toFile: "\(speakerPath)/\(name(sentence)).\(name("phn"))", atomically: true, encoding: .utf8)
            }
        }
        return folder
    }

    @Test(arguments: [(true, AudioFile.Format.sphere16), (false, .wav16)])
    func timitReadsBothCasesAndFormats(upperCase: Bool, format: AudioFile.Format) throws {
        let folder = try Self.timitTree(upperCase: upperCase, format: format)
        let utterances = try TIMITCorpus.read(root: folder.url.path)
        #expect(utterances.count == 15)
        #expect(Set(utterances.map(\.speaker)) == ["fcjf0", "mdac0", "mabc1"])
        let first = utterances.first { $0.id == "fcjf0_sa1" }!
        #expect(first.sex == "f" && first.dialect == "dr1" && first.split == "train" && first.sentenceType == "sa")
        #expect(utterances.first { $0.id == "mdac0_si648" }?.sentenceType == "si")
        #expect(utterances.first { $0.id == "mabc1_sx199" }?.split == "test")
        #expect(utterances.filter { $0.sex == "m" }.count == 10)
        #expect(try AudioFile.read(first.path).samples.count == 3200)
    }

    @Test func anEmptyOrForeignFolderIsAClearError() throws {
        let folder = TemporaryDirectory()
        #expect { try TIMITCorpus.read(root: folder.url.path) } throws: { "\($0)".contains("not a TIMIT layout") }
        #expect { try SpeakerFolderCorpus.read(root: folder.url.path) } throws: { "\($0)".contains("no audio files") }
        #expect { try TIMITCorpus.read(root: folder.path("absent")) } throws: { "\($0)".contains("no such folder") }
    }

    @Test func speakerFoldersAndVoxCelebTrialsRoundTrip() throws {
        let folder = TemporaryDirectory()
        let tone = AudioSignal(samples: [Float](repeating: 0.1, count: 1600), sampleRate: 16000)
        for (speaker, session, utterance) in [("id1", "s1", "00001"), ("id1", "s2", "00002"), ("id2", "s1", "00001"), ("id2", "s1", "00002")] {
            try FileManager.default.createDirectory(atPath: folder.path("\(speaker)/\(session)"), withIntermediateDirectories: true)
            try AudioFile.write(tone, to: folder.path("\(speaker)/\(session)/\(utterance).wav"))
        }
        let utterances = try SpeakerFolderCorpus.read(root: folder.url.path)
        #expect(utterances.map(\.id) == ["id1/s1/00001", "id1/s2/00002", "id2/s1/00001", "id2/s1/00002"])
        try "1 id1/s1/00001.wav id1/s2/00002.wav\n0 id1/s1/00001.wav id2/s1/00002.wav\n".write(toFile: folder.path("trials.txt"), atomically: true, encoding: .utf8)
        let trials = try TrialList.readVoxCeleb(folder.path("trials.txt"), utterances: utterances, root: folder.url.path)
        #expect(trials.trials.map(\.isTarget) == [true, false])
        #expect(trials.voxCelebText(utterances: utterances, root: folder.url.path) == "1 id1/s1/00001.wav id1/s2/00002.wav\n0 id1/s1/00001.wav id2/s1/00002.wav\n")
        try "1 id1/s1/00001.wav id9/missing.wav\n".write(toFile: folder.path("bad.txt"), atomically: true, encoding: .utf8)
        #expect { try TrialList.readVoxCeleb(folder.path("bad.txt"), utterances: utterances, root: folder.url.path) } throws: {
            "\($0)".contains("bad.txt:1: error: 'id9/missing.wav' is not a file of the corpus")
        }
    }
}
