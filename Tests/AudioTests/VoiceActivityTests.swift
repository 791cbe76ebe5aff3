import Foundation
import Testing
import Randomness
@testable import Audio

@Suite struct VoiceActivityTests {
    /// Known regions of a test recording, in seconds.
    static let speechRegions: [(start: Double, end: Double)] = [(0.615, 1.52), (2.437, 3.05)]

    /// A 3.6 s recording: a noise floor everywhere and a voiced, formant-shaped tone in each speech region.
    static func recording(noise: Float = 0.001, seed: UInt64 = 11) -> AudioSignal {
        var random = SeededGenerator(seed: seed)
        let rate = 16000
        let samples = (0..<Int(3.6 * Double(rate))).map { index -> Float in
            let time = Double(index) / Double(rate)
            var value = Float(random.nextGaussian()) * noise
            if speechRegions.contains(where: { time >= $0.start && time < $0.end }) {
                let phase = 2 * Double.pi * 140 * time
                let voiced = (1...12).reduce(0.0) { sum, harmonic in
                    let formantGain = harmonic == 5 || harmonic == 8 ? 1.0 : 0.3
                    return sum + formantGain * sin(Double(harmonic) * phase) / Double(harmonic)
                }
                value += Float(0.25 * voiced)
            }
            return value
        }
        return AudioSignal(samples: samples, sampleRate: rate)
    }

    /// Start and end times (s) of each run of voiced frames.
    static func runs(_ decisions: [Bool], frameSeconds: Double) -> [(start: Double, end: Double)] {
        var runs: [(Double, Double)] = []
        var start: Int?
        for (index, voiced) in (decisions + [false]).enumerated() {
            if voiced, start == nil { start = index }
            if !voiced, let first = start {
                runs.append((Double(first) * frameSeconds, Double(index) * frameSeconds))
                start = nil
            }
        }
        return runs
    }

    @Test(arguments: [VoiceDecision.energy(threshold: 15), .adaptive(aggressiveness: 0), .adaptive(aggressiveness: 1),
                      .adaptive(aggressiveness: 2), .adaptive(aggressiveness: 3)])
    func frameDecisionsFindTheRegionsWithin30Milliseconds(decision: VoiceDecision) {
        let result = VoiceActivityDetector(decision: decision).detect(Self.recording())
        let found = Self.runs(result.frameDecisions, frameSeconds: 0.03)
        #expect(found.count == Self.speechRegions.count, "found \(found)")
        for (detected, truth) in zip(found, Self.speechRegions) {
            #expect(abs(detected.start - truth.start) <= 0.03, "start \(detected.start) vs \(truth.start)")
            #expect(abs(detected.end - truth.end) <= 0.03, "end \(detected.end) vs \(truth.end)")
        }
    }

    @Test func theAdaptiveDetectorFollowsARaisedNoiseFloorWhereTheFixedThresholdCannot() {
        // Noise 30× louder: the fixed SPL threshold calls everything speech; the adaptive one still finds the regions.
        let noisy = Self.recording(noise: 0.03)
        let energy = VoiceActivityDetector(decision: .energy(threshold: 15)).detect(noisy)
        #expect(energy.frameDecisions.allSatisfy { $0 })
        let adaptive = VoiceActivityDetector(decision: .adaptive(aggressiveness: 1)).detect(noisy)
        let found = Self.runs(adaptive.frameDecisions, frameSeconds: 0.03)
        #expect(found.count == 2, "found \(found)")
        for (detected, truth) in zip(found, Self.speechRegions) {
            #expect(abs(detected.start - truth.start) <= 0.03)
            #expect(abs(detected.end - truth.end) <= 0.03)
        }
    }

    @Test func collectorAddsPreRollAndTrailingFramesAsTheSeed() {
        // Frames 5…24 voiced. Triggered at frame 14 (ring 5…14 all voiced): the segment starts at 5.
        // Released at frame 34 (ring 25…34 all unvoiced): the segment includes it.
        let decisions = (0..<50).map { (5..<25).contains($0) }
        #expect(VoiceActivityDetector.collect(decisions, ringLength: 10) == [5..<35])
        // Nine voiced frames never trigger.
        #expect(VoiceActivityDetector.collect((0..<30).map { (3..<12).contains($0) }, ringLength: 10).isEmpty)
        // Still triggered at the end: the open segment is kept.
        #expect(VoiceActivityDetector.collect((0..<20).map { $0 >= 4 }, ringLength: 10) == [4..<20])
    }

    @Test func framingDropsTheTailAndAnExactlyFittingLastFrame() {
        // 4800 samples = exactly 10 frames of 480: the seed yields only 9 (offset + n < length).
        let exact = VoiceActivityDetector(decision: .energy()).detect(AudioSignal(samples: .init(repeating: 0.5, count: 4800), sampleRate: 16000))
        #expect(exact.frameDecisions.count == 9)
        let longer = VoiceActivityDetector(decision: .energy()).detect(AudioSignal(samples: .init(repeating: 0.5, count: 4801), sampleRate: 16000))
        #expect(longer.frameDecisions.count == 10)
    }

    @Test func cutPadPoliciesMatchTheSeed() {
        let short: [Float] = [1, 2, 3]
        #expect(CutPad.seed(seconds: 5.0 / 16000).apply(short, sampleRate: 16000) == [1, 2, 3, 0, 0])
        let long: [Float] = (0..<10).map(Float.init)
        // n = 10, L = 4: [(10 − 4)/2, (10 + 4)/2) = [3, 7).
        #expect(CutPad.seed(seconds: 4.0 / 16000).apply(long, sampleRate: 16000) == [3, 4, 5, 6])
        // n = 9, L = 4: [(9 − 4)//2, (9 + 4)//2) = [2, 6).
        #expect(CutPad.seed(seconds: 4.0 / 16000).apply(Array(long.prefix(9)), sampleRate: 16000) == [2, 3, 4, 5])
        #expect(CutPad.none.apply(long, sampleRate: 16000) == long)
        var first = SeededGenerator(seed: 1), second = SeededGenerator(seed: 1)
        let a = CutPad.randomCrop(seconds: 4.0 / 16000).apply(long, sampleRate: 16000, using: &first)
        let b = CutPad.randomCrop(seconds: 4.0 / 16000).apply(long, sampleRate: 16000, using: &second)
        #expect(a == b && a.count == 4 && a == (0..<4).map { a[0] + Float($0) })
    }
}
