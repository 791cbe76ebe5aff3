/// How each 30 ms frame is judged voiced or not, before the seed's segment collector runs.
public enum VoiceDecision: Equatable, Sendable, Codable {
    /// Walleclipse's sound-pressure-level threshold (reference §8):
    /// 20·log10(√Σ(32768·x)² / N + 1e-12) ≥ `threshold` dB.
    case energy(threshold: Double = 15)
    /// SpeakerLab's detector: sub-band energies against a tracked noise floor.
    /// Aggressiveness 0 (keeps the most) to 3 (rejects the most), as webrtcvad's modes.
    case adaptive(aggressiveness: Int = 1)

    /// Judges every frame of `samples` (mono, ±1 full scale) cut into `frameLength`-sample frames.
    public func decide(_ samples: [Float], frameLength: Int, frameCount: Int, sampleRate: Int) -> [Bool] {
        switch self {
        case let .energy(threshold):
            return (0..<frameCount).map { frame in
                let start = frame * frameLength
                var energy: Double = 0
                for index in start..<(start + frameLength) {
                    let value = Double(samples[index]) * 32768
                    energy += value * value
                }
                let level = 20 * log10(energy.squareRoot() / Double(frameLength) + 1e-12)
                return level >= threshold
            }
        case let .adaptive(aggressiveness):
            var detector = AdaptiveVoiceDetector(aggressiveness: aggressiveness, frameLength: frameLength, sampleRate: sampleRate)
            return detector.decide(samples, frameCount: frameCount)
        }
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
