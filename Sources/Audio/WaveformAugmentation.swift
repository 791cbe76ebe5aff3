import Foundation

/// What on-the-fly augmentation does to one training crop, drawn afresh for every crop: a room's
/// reverberation, then additive noise at a sampled SNR (coloured noise, babble of other
/// speakers, or a recorded noise). Speed perturbation happens once, before (its copies are new
/// speakers), and masking after the features (`FeatureMasking`).
public struct WaveformAugmentation: Equatable, Sendable, Codable {
    /// A kind of additive noise.
    public enum NoiseKind: String, CaseIterable, Equatable, Sendable, Codable {
        /// White, pink or brown noise (`NoiseColour`), chosen uniformly.
        case coloured
        /// The sum of 3–6 crops of other training speakers' speech.
        case babble
        /// A recording from the noise folder.
        case folder
    }

    /// The chance a crop gets additive noise.
    public var noiseProbability: Double
    /// The kinds drawn from, uniformly.
    public var noiseKinds: [NoiseKind]
    /// The SNR range in dB, sampled uniformly.
    public var signalToNoise: ClosedRange<Double>
    /// The chance a crop is reverberated.
    public var reverberationProbability: Double

    /// Creates the settings.
    public init(noiseProbability: Double, noiseKinds: [NoiseKind], signalToNoise: ClosedRange<Double>, reverberationProbability: Double) {
        self.noiseProbability = noiseProbability
        self.noiseKinds = noiseKinds
        self.signalToNoise = signalToNoise
        self.reverberationProbability = reverberationProbability
    }

    /// The material augmentation draws from: recorded noises, room impulse responses and the
    /// speech babble is made of (with each utterance's speaker, so babble leaves the target out).
    public struct Bank: Sendable {
        public var noises: [[Float]]
        public var rooms: [[Float]]
        public var speech: [[Float]]
        public var speakers: [Int]

        /// Creates a bank.
        public init(noises: [[Float]], rooms: [[Float]], speech: [[Float]], speakers: [Int]) {
            self.noises = noises
            self.rooms = rooms
            self.speech = speech
            self.speakers = speakers
        }
    }

    /// Augments one crop of `speaker`'s speech. Every draw comes from `generator`, so a crop's
    /// result is fixed by the generator it is given.
    public func apply<Generator: RandomNumberGenerator>(_ crop: [Float], speaker: Int, bank: Bank, using generator: inout Generator) -> [Float] {
        var samples = crop
        let reverberate = Double.random(in: 0..<1, using: &generator) < reverberationProbability
        if reverberate, !bank.rooms.isEmpty {
            let room = bank.rooms[Int.random(in: 0..<bank.rooms.count, using: &generator)]
            samples = Self.reverberate(samples, with: room)
        }
        let addNoise = Double.random(in: 0..<1, using: &generator) < noiseProbability
        guard addNoise, !noiseKinds.isEmpty else { return samples }
        let snr = Double.random(in: signalToNoise, using: &generator)
        let noise: [Float]
        switch noiseKinds[Int.random(in: 0..<noiseKinds.count, using: &generator)] {
        case .coloured:
            noise = NoiseColour.allCases[Int.random(in: 0..<3, using: &generator)].samples(samples.count, using: &generator)
        case .babble:
            noise = Self.babble(length: samples.count, excluding: speaker, bank: bank, using: &generator)
        case .folder:
            guard !bank.noises.isEmpty else { return samples }
            let recording = bank.noises[Int.random(in: 0..<bank.noises.count, using: &generator)]
            let start = recording.count > samples.count ? Int.random(in: 0...(recording.count - samples.count), using: &generator) : 0
            noise = Array(recording[start..<min(recording.count, start + samples.count)])
        }
        return Mixing.add(noise: noise, to: samples, snr: snr)
    }

    /// The speech convolved with a room response, aligned on the response's direct path (its
    /// largest tap) and cut to the speech's length.
    public static func reverberate(_ samples: [Float], with response: [Float]) -> [Float] {
        guard let peak = response.indices.max(by: { abs(response[$0]) < abs(response[$1]) }) else { return samples }
        let full = FFTConvolution.convolve(samples, response)
        return Array(full[peak..<(peak + samples.count)])
    }

    /// Babble: 3–6 crops of other speakers' utterances at unit RMS, summed.
    static func babble<Generator: RandomNumberGenerator>(length: Int, excluding speaker: Int, bank: Bank, using generator: inout Generator) -> [Float] {
        var sum = [Float](repeating: 0, count: length)
        guard bank.speech.count > 1 else { return sum }
        let talkers = Int.random(in: 3...6, using: &generator)
        var added = 0, attempts = 0
        while added < talkers, attempts < talkers * 10 {
            attempts += 1
            let index = Int.random(in: 0..<bank.speech.count, using: &generator)
            guard bank.speakers[index] != speaker, !bank.speech[index].isEmpty else { continue }
            let utterance = bank.speech[index]
            let start = utterance.count > length ? Int.random(in: 0...(utterance.count - length), using: &generator) : 0
            let piece = Mixing.scaledToUnitRMS(Array(utterance[start..<min(utterance.count, start + length)]))
            for offset in 0..<length { sum[offset] += piece[offset % piece.count] }
            added += 1
        }
        return sum
    }
}
