import Audio
import Foundation
import Randomness

/// The embedded corpus for the quick start and the tests: N speakers × M utterances of 16 kHz
/// speech-like audio, generated deterministically in Swift (same seed ⇒ byte-identical files).
///
/// Each speaker has a stable voice (`SyntheticVoice`); each utterance is a different sequence of
/// vowels, fricatives, plosives and pauses, with leading and trailing silence for VAD, a noise
/// floor, and a per-utterance channel (gain, tilt, noise level) so that utterances of one speaker
/// differ. Speakers are split into `train` and `test` like TIMIT.
public struct SyntheticCorpus: Equatable, Sendable {
    /// Number of speakers.
    public var speakers: Int
    /// Utterances per speaker.
    public var utterancesPerSpeaker: Int
    /// The fraction of speakers (rounded) in the `test` split.
    public var testFraction: Double
    /// The generator seed.
    public var seed: UInt64
    /// Sample rate of the written files.
    public let sampleRate = 16000

    /// The default corpus: 48 speakers × 10 utterances, a quarter of the speakers in `test`.
    public init(speakers: Int = 48, utterancesPerSpeaker: Int = 10, testFraction: Double = 0.25, seed: UInt64 = 1) {
        self.speakers = speakers
        self.utterancesPerSpeaker = utterancesPerSpeaker
        self.testFraction = testFraction
        self.seed = seed
    }

    /// Writes `<root>/<split>/<speaker>/<utterance>.wav` and returns the utterances, sorted by id.
    public func write(to root: String) throws -> [Utterance] {
        // The same bounds as the spec's: the corpus is written to disk, so its size is checked first.
        guard (2...10_000).contains(speakers), (1...1_000).contains(utterancesPerSpeaker), testFraction >= 0, testFraction < 1 else {
            throw DatasetError("a synthetic corpus has 2…10000 speakers, 1…1000 utterances each and a test fraction in [0, 1); asked for \(speakers) speakers, \(utterancesPerSpeaker) utterances, test fraction \(testFraction)")
        }
        var utterances: [Utterance] = []
        let testSpeakers = Int((Double(speakers) * testFraction).rounded())
        let root = URL(fileURLWithPath: root)
        for speakerIndex in 0..<speakers {
            var speakerGenerator = SeededGenerator(seed: seed).split("speaker-\(speakerIndex)")
            let voice = SyntheticVoice(using: &speakerGenerator)
            let speaker = String(format: "%@spk%03d", voice.sex, speakerIndex)
            let split = speakerIndex >= speakers - testSpeakers ? "test" : "train"
            let folder = root.appendingPathComponent(split).appendingPathComponent(speaker)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for utteranceIndex in 0..<utterancesPerSpeaker {
                var generator = speakerGenerator.split("utterance-\(utteranceIndex)")
                let samples = Self.synthesise(voice: voice, rate: Double(sampleRate), using: &generator)
                let name = String(format: "u%02d", utteranceIndex)
                let path = folder.appendingPathComponent(name + ".wav").path
                try AudioFile.write(AudioSignal(samples: samples, sampleRate: sampleRate), to: path)
                utterances.append(Utterance(id: "\(speaker)_\(name)", speaker: speaker, path: path, split: split, sex: voice.sex))
            }
        }
        return utterances.sorted { $0.id < $1.id }
    }

    /// One utterance: 0.25–0.6 s of silence, 1.6–3.2 s of segments, 0.25–0.6 s of silence.
    static func synthesise(voice: SyntheticVoice, rate: Double, using generator: inout SeededGenerator) -> [Float] {
        var segments: [SyntheticSegment] = [.pause(seconds: 0.25 + 0.35 * generator.nextUnitDouble())]
        let target = 1.6 + 1.6 * generator.nextUnitDouble()
        var spoken = 0.0
        while spoken < target {
            let choice = generator.nextUnitDouble()
            let segment: SyntheticSegment
            if choice < 0.55 {
                let vowel = SyntheticSegment.vowels[Int.random(in: 0..<SyntheticSegment.vowels.count, using: &generator)]
                segment = .vowel(formants: vowel, seconds: (0.09 + 0.16 * generator.nextUnitDouble()) * voice.speakingRate)
            } else if choice < 0.75 {
                let centre = SyntheticSegment.fricatives[Int.random(in: 0..<SyntheticSegment.fricatives.count, using: &generator)]
                segment = .fricative(centre: centre, seconds: (0.06 + 0.1 * generator.nextUnitDouble()) * voice.speakingRate)
            } else if choice < 0.9 {
                segment = .plosive(burstCentre: 1500 + 2500 * generator.nextUnitDouble(), seconds: (0.05 + 0.05 * generator.nextUnitDouble()) * voice.speakingRate)
            } else {
                segment = .pause(seconds: (0.04 + 0.12 * generator.nextUnitDouble()) * voice.speakingRate)
            }
            segments.append(segment)
            switch segment {
            case let .vowel(_, seconds), let .fricative(_, seconds), let .plosive(_, seconds), let .pause(seconds): spoken += seconds
            }
        }
        segments.append(.pause(seconds: 0.25 + 0.35 * generator.nextUnitDouble()))

        // The channel of this recording.
        let gain = 0.25 + 0.35 * generator.nextUnitDouble()
        let noiseLevel = 0.0005 + 0.002 * generator.nextUnitDouble()
        let channelTilt = -0.15 + 0.3 * generator.nextUnitDouble()
        let pitchOffset = pow(2, (generator.nextUnitDouble() - 0.5) * 2 / 12)  // ±1 semitone per utterance
        var samples: [Float] = []
        var formants = [Resonator(), Resonator(), Resonator(), Resonator()]
        formants[3].tune(frequency: min(voice.fourthFormant, rate / 2 - 500), bandwidth: 250, rate: rate)
        var frication = Resonator()
        var phase = 1.0
        var periodAmplitude = 1.0
        var tiltState = 0.0, channelState = 0.0
        var time = 0.0
        let totalSeconds = segments.reduce(0.0) { total, segment in
            switch segment {
            case let .vowel(_, seconds), let .fricative(_, seconds), let .plosive(_, seconds), let .pause(seconds): return total + seconds
            }
        }
        for segment in segments {
            let seconds: Double
            switch segment {
            case let .vowel(_, s), let .fricative(_, s), let .plosive(_, s), let .pause(s): seconds = s
            }
            let count = Int(seconds * rate)
            if case let .vowel(reference, _) = segment {
                for index in 0..<3 {
                    let frequency = min(reference[index] * voice.formantBias[index] / voice.tractLength, rate / 2 - 500)
                    formants[index].tune(frequency: frequency, bandwidth: 60 + 40 * Double(index), rate: rate)
                }
            }
            if case let .fricative(centre, _) = segment {
                frication.tune(frequency: min(centre / (0.5 + 0.5 * voice.tractLength), rate / 2 - 600), bandwidth: 900, rate: rate)
            }
            if case let .plosive(centre, _) = segment {
                frication.tune(frequency: centre / voice.tractLength, bandwidth: 1200, rate: rate)
            }
            for n in 0..<count {
                let progress = Double(n) / Double(max(count - 1, 1))
                let envelope = min(1, min(progress, 1 - progress) * 8)  // 1/16 of the segment ramps in and out
                var value = 0.0
                switch segment {
                case .vowel:
                    // Glottal source: a pulse at each period, jittered and shimmered, through a tilt filter.
                    let contour = sin(2 * Double.pi * time / max(totalSeconds, 0.5)) * voice.pitchRange / 2
                    let f0 = voice.fundamental * pitchOffset * pow(2, contour / 12)
                    phase += f0 / rate
                    var pulse = 0.0
                    if phase >= 1 {
                        phase -= 1 + voice.jitter * (generator.nextUnitDouble() - 0.5) * 2
                        periodAmplitude = 1 + voice.shimmer * (generator.nextUnitDouble() - 0.5) * 2
                        pulse = periodAmplitude
                    }
                    tiltState = voice.tilt * tiltState + (1 - voice.tilt) * pulse * 40
                    let source = tiltState + voice.breathiness * generator.nextGaussian()
                    value = formants.indices.reduce(0.0) { sum, index in sum + formants[index].step(source) * [1, 0.6, 0.3, 0.25][index] }
                case .fricative:
                    value = frication.step(generator.nextGaussian()) * 0.5
                case .plosive:
                    value = progress > 0.6 ? frication.step(generator.nextGaussian()) * 0.8 : 0
                case .pause:
                    value = 0
                }
                time += 1 / rate
                channelState = channelTilt * channelState + value * envelope
                let sample = gain * channelState * 0.2 + noiseLevel * generator.nextGaussian()
                samples.append(Float(max(-0.99, min(0.99, sample))))
            }
        }
        return samples
    }
}
