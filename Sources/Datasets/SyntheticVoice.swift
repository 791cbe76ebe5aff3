#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Randomness

/// A synthetic speaker's stable voice: what stays the same across all of its utterances.
public struct SyntheticVoice: Equatable, Sendable {
    /// `m` or `f`.
    public let sex: String
    /// Mean fundamental frequency (Hz).
    public let fundamental: Double
    /// Intonation range (semitones, peak to peak).
    public let pitchRange: Double
    /// Vocal-tract length factor: formant frequencies are divided by it (1 = reference adult).
    public let tractLength: Double
    /// Spectral tilt of the glottal source: the one-pole low-pass coefficient (higher = darker voice).
    public let tilt: Double
    /// Period-to-period jitter of f0 (fraction).
    public let jitter: Double
    /// Period-to-period shimmer of amplitude (fraction).
    public let shimmer: Double
    /// Aspiration noise mixed into voiced sounds (fraction of the source).
    public let breathiness: Double
    /// Segment durations are multiplied by this (slower speakers > 1).
    public let speakingRate: Double
    /// A per-speaker formant offset pattern (multipliers for F1, F2, F3): accent-like colouring.
    public let formantBias: [Double]
    /// The fourth formant (Hz): fixed by the speaker's anatomy, the same in every vowel.
    public let fourthFormant: Double

    /// Draws a voice from a speaker's own generator.
    public init(using generator: inout SeededGenerator) {
        let male = generator.nextUnitDouble() < 0.6
        sex = male ? "m" : "f"
        fundamental = male ? 85 + 70 * generator.nextUnitDouble() : 160 + 90 * generator.nextUnitDouble()
        pitchRange = 1 + 4 * generator.nextUnitDouble()
        tractLength = (male ? 1.0 : 0.86) * (0.88 + 0.24 * generator.nextUnitDouble())
        tilt = 0.55 + 0.35 * generator.nextUnitDouble()
        jitter = 0.003 + 0.017 * generator.nextUnitDouble()
        shimmer = 0.02 + 0.08 * generator.nextUnitDouble()
        breathiness = 0.02 + 0.2 * generator.nextUnitDouble()
        speakingRate = 0.8 + 0.45 * generator.nextUnitDouble()
        formantBias = (0..<3).map { _ in 0.9 + 0.2 * generator.nextUnitDouble() }
        fourthFormant = 3500 / tractLength * (0.85 + 0.3 * generator.nextUnitDouble())
    }
}

/// The sounds an utterance strings together.
enum SyntheticSegment {
    /// A vowel with reference-speaker formants (F1, F2, F3 in Hz).
    case vowel(formants: [Double], seconds: Double)
    /// Frication noise centred at a frequency.
    case fricative(centre: Double, seconds: Double)
    /// A closure then a short burst.
    case plosive(burstCentre: Double, seconds: Double)
    /// Silence.
    case pause(seconds: Double)

    /// Reference formants of eight vowels (Peterson and Barney, adult male averages).
    static let vowels: [[Double]] = [
        [270, 2290, 3010], [390, 1990, 2550], [530, 1840, 2480], [660, 1720, 2410],
        [730, 1090, 2440], [570, 840, 2410], [440, 1020, 2240], [300, 870, 2240],
    ]
    /// Fricative centres (s, sh, f, th).
    static let fricatives: [Double] = [5500, 3200, 7000, 6000]
}

/// Klatt's second-order digital resonator.
struct Resonator {
    private var a = 0.0, b = 0.0, c = 0.0
    private var previous = 0.0, beforePrevious = 0.0

    mutating func tune(frequency: Double, bandwidth: Double, rate: Double) {
        let period = 1 / rate
        c = -exp(-2 * Double.pi * bandwidth * period)
        b = 2 * exp(-Double.pi * bandwidth * period) * cos(2 * Double.pi * frequency * period)
        a = 1 - b - c
    }

    mutating func step(_ x: Double) -> Double {
        let y = a * x + b * previous + c * beforePrevious
        beforePrevious = previous
        previous = y
        return y
    }
}
