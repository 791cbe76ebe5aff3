import Audio
import Foundation

/// Audio files a corpus should not contain, each with the reason the front end gives for it:
/// what the bad-file tests and the hostile-input suite plant in a corpus.
public enum ProblemAudioFiles {
    /// One kind of problem file: its name, how it is made at a path, and the reason prepare gives.
    public struct Kind: Sendable {
        public let name: String
        public let reason: String
        public let make: @Sendable (String) throws -> Void
    }

    /// A second of a quiet tone, the material the damaged files start from.
    static let tone = (0..<16000).map { Float(sin(Double($0) * 0.05)) * 0.3 }

    /// Writes a silent (all-zero) second.
    public static func silent(_ path: String) throws { try AudioFile.write(AudioSignal(samples: [Float](repeating: 0, count: 16000), sampleRate: 16000), to: path) }

    /// Writes a WAV file whose data chunk is cut short.
    public static func truncated(_ path: String) throws {
        try AudioFile.write(AudioSignal(samples: tone, sampleRate: 16000), to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 4000).write(to: URL(fileURLWithPath: path))
    }

    /// Every kind.
    public static let kinds: [Kind] = [
        Kind(name: "silent.wav", reason: "the file is silent (every sample is zero)", make: { try silent($0) }),
        Kind(name: "truncated.wav", reason: "truncated: the header declares", make: { try truncated($0) }),
        Kind(name: "text.wav", reason: "not a readable audio file (libsndfile:", make: { try "not audio".write(toFile: $0, atomically: true, encoding: .utf8) }),
        Kind(name: "empty.wav", reason: "not a readable audio file", make: { try Data().write(to: URL(fileURLWithPath: $0)) }),
        Kind(name: "short.wav", reason: "too short: 10 ms, less than one 25 ms analysis frame", make: {
            try AudioFile.write(AudioSignal(samples: (0..<160).map { Float($0 % 7) * 0.01 }, sampleRate: 16000), to: $0)
        }),
        Kind(name: "infinite.wav", reason: "2 of its 16000 samples are not finite (inf or NaN)", make: {
            var samples = tone
            samples[100] = .infinity
            samples[200] = .nan
            try AudioFile.write(AudioSignal(samples: samples, sampleRate: 16000), to: $0, format: .wavFloat)
        }),
        Kind(name: "header.sph", reason: "the SPHERE header declares sample_count 19000, but the file holds 16000 samples", make: {
            try AudioFile.write(AudioSignal(samples: tone, sampleRate: 16000), to: $0, format: .sphere16)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: $0))
            let header = String(decoding: bytes.prefix(1024), as: UTF8.self)
            let edited = header.replacingOccurrences(of: "sample_count -i 16000", with: "sample_count -i 19000")
            guard edited != header else { throw AudioError(path: $0, reason: "no sample_count in the written header") }
            bytes.replaceSubrange(0..<1024, with: Data(edited.utf8))
            try bytes.write(to: URL(fileURLWithPath: $0))
        }),
        Kind(name: "loud.wav", reason: "the header declares", make: {
            // A WAV header claiming 70 channels.
            try AudioFile.write(AudioSignal(samples: tone, sampleRate: 16000), to: $0)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: $0))
            bytes[22] = 70
            try bytes.write(to: URL(fileURLWithPath: $0))
        }),
    ]
}
