import Foundation
import Testing
import TestSupport
@testable import Audio
import Randomness

/// The waveform augmentation's pieces against direct computations and known acoustics.
@Suite struct AugmentationTests {
    @Test func fftConvolutionEqualsTheDirectSum() {
        var generator = SeededGenerator(seed: 3)
        let signal = (0..<301).map { _ in Float.random(in: -1...1, using: &generator) }
        let kernel = (0..<77).map { _ in Float.random(in: -1...1, using: &generator) }
        let fast = FFTConvolution.convolve(signal, kernel)
        #expect(fast.count == signal.count + kernel.count - 1)
        var worst: Float = 0
        for n in fast.indices {
            var sum: Double = 0
            for k in kernel.indices where n - k >= 0 && n - k < signal.count { sum += Double(kernel[k]) * Double(signal[n - k]) }
            worst = max(worst, abs(fast[n] - Float(sum)))
        }
        #expect(worst < 1e-4, "largest difference \(worst)")
    }

    @Test func noiseIsMixedAtTheAskedSignalToNoiseRatio() {
        var generator = SeededGenerator(seed: 4)
        let speech = (0..<16000).map { Float(sin(Double($0) * 0.05)) * 0.3 }
        for snr in [-5.0, 0, 7.5, 20] {
            let noise = NoiseColour.pink.samples(5000, using: &generator)
            let mixed = Mixing.add(noise: noise, to: speech, snr: snr)
            let added = zip(mixed, speech).map { $0 - $1 }
            let measured = 10 * log10(Mixing.power(speech) / Mixing.power(added))
            #expect(abs(measured - snr) < 1e-3, "asked \(snr) dB, measured \(measured)")
        }
    }

    /// Mean power in a band of the averaged periodogram (1,024-point frames).
    static func bandPower(_ samples: [Float], rate: Double, from low: Double, to high: Double) -> Double {
        let fft = RealFFT(size: 1024)
        var total = 0.0, count = 0
        var frame = 0
        while frame + 1024 <= samples.count {
            let bins = fft.transform(Array(samples[frame..<(frame + 1024)]))
            for (index, bin) in bins.enumerated() {
                let frequency = Double(index) * rate / 1024
                if frequency >= low && frequency < high { total += Double(bin.real * bin.real + bin.imaginary * bin.imaginary); count += 1 }
            }
            frame += 1024
        }
        return total / Double(count)
    }

    @Test func colouredNoiseFallsAtItsSlopePerOctave() {
        // From 500–1000 Hz to 2–4 kHz is two octaves: white 0 dB, pink 6 dB, brown 12 dB.
        for (colour, drop) in [(NoiseColour.white, 0.0), (.pink, 6.0), (.brown, 12.0)] {
            var generator = SeededGenerator(seed: 5)
            let noise = colour.samples(160_000, using: &generator)
            #expect(abs(Mixing.power(noise) - 1) < 1e-3)
            let measured = 10 * log10(Self.bandPower(noise, rate: 16000, from: 500, to: 1000) / Self.bandPower(noise, rate: 16000, from: 2000, to: 4000))
            #expect(abs(measured - drop) < 1.5, "\(colour): \(measured) dB over two octaves, expected \(drop)")
        }
    }

    @Test func imageMethodPutsTheDirectPathAndTheFloorEchoWhereGeometrySays() {
        let room = ImageMethodRoom(size: [6, 5, 3], source: [2, 2, 1.5], microphone: [4, 3, 1.2], reverberationTime: 0.4)
        let rate = 16000
        let response = room.impulseResponse(sampleRate: rate, seconds: 0.5)
        let energy = response.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(energy - 1) < 1e-5)
        let direct = (pow(2.0, 2) + pow(1.0, 2) + pow(0.3, 2)).squareRoot()
        let directDelay = Int((direct / ImageMethodRoom.speedOfSound * Double(rate)).rounded())
        let peak = response.indices.max { abs(response[$0]) < abs(response[$1]) }!
        #expect(peak == directDelay)
        #expect(response[..<directDelay].allSatisfy { $0 == 0 }, "nothing arrives before the direct path")
        // The floor's image is at z = −1.5: one reflection, amplitude β/(4π d) against 1/(4π d₀).
        let floor = (pow(2.0, 2) + pow(1.0, 2) + pow(2.7, 2)).squareRoot()
        let floorDelay = Int((floor / ImageMethodRoom.speedOfSound * Double(rate)).rounded())
        let ratio = Double(response[floorDelay] / response[directDelay])
        #expect(abs(ratio - room.reflection * direct / floor) < 1e-4, "floor echo ratio \(ratio)")
    }

    @Test func longerReverberationTimesLeaveMoreLateEnergy() {
        func lateShare(_ rt60: Double) -> Double {
            let room = ImageMethodRoom(size: [7, 5, 3], source: [2, 2, 1.5], microphone: [5, 3, 1.5], reverberationTime: rt60)
            let response = room.impulseResponse(sampleRate: 16000, seconds: 0.5)
            return response[1600...].reduce(0.0) { $0 + Double($1) * Double($1) }
        }
        #expect(lateShare(0.2) < lateShare(0.5) && lateShare(0.5) < lateShare(0.8))
    }

    @Test func speedPerturbationChangesTempoAndPitch() throws {
        let tone = (0..<16000).map { Float(sin(2 * Double.pi * 200 * Double($0) / 16000)) * 0.5 }
        let faster = try SpeedPerturbation.apply(tone, factor: 1.1, sampleRate: 16000)
        #expect(abs(faster.count - Int(16000 / 1.1)) <= 3)
        // Still 200 cycles, now in 1/1.1 s: 400 zero crossings, i.e. 220 Hz.
        let crossings = zip(faster, faster.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
        #expect(abs(crossings - 400) <= 2)
        #expect(try SpeedPerturbation.apply(tone, factor: 1, sampleRate: 16000) == tone)
    }

    @Test func masksZeroAtMostTheirWidthAndFollowTheGenerator() {
        let matrix = FeatureMatrix(frames: 100, bands: 40, values: [Float](repeating: 1, count: 4000))
        let masking = FeatureMasking(timeMasks: 1, timeWidth: 20, frequencyMasks: 1, frequencyWidth: 5)
        var first = matrix, second = matrix, other = matrix
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9), c = SeededGenerator(seed: 10)
        masking.apply(to: &first, using: &a)
        masking.apply(to: &second, using: &b)
        masking.apply(to: &other, using: &c)
        #expect(first.values == second.values)
        #expect(first.values != other.values)
        let zeroFrames = (0..<100).filter { frame in (0..<40).allSatisfy { first.values[frame * 40 + $0] == 0 } }.count
        let zeroBands = (0..<40).filter { band in (0..<100).allSatisfy { first.values[$0 * 40 + band] == 0 } }.count
        #expect(zeroFrames <= 20 && zeroBands <= 5)
    }

    @Test func babbleLeavesTheTargetSpeakerOut() {
        // Speaker 0 hums at 100 Hz, speaker 1 at 300 Hz: babble for speaker 0 holds no 100 Hz.
        func tone(_ hertz: Double) -> [Float] { (0..<16000).map { Float(sin(2 * Double.pi * hertz * Double($0) / 16000)) } }
        let bank = WaveformAugmentation.Bank(noises: [], rooms: [], speech: [tone(100), tone(300), tone(100), tone(300)], speakers: [0, 1, 0, 1])
        var generator = SeededGenerator(seed: 8)
        let babble = WaveformAugmentation.babble(length: 8000, excluding: 0, bank: bank, using: &generator)
        // The amplitude at a frequency, whatever its phase: projections on sine and cosine.
        func amplitude(_ hertz: Double) -> Double {
            var sine = 0.0, cosine = 0.0
            for (index, value) in babble.enumerated() {
                let angle = 2 * Double.pi * hertz * Double(index) / 16000
                sine += Double(value) * sin(angle)
                cosine += Double(value) * cos(angle)
            }
            return 2 * (sine * sine + cosine * cosine).squareRoot() / Double(babble.count)
        }
        #expect(Mixing.power(babble) > 0.1 && amplitude(100) < 0.01, "power \(Mixing.power(babble)), 100 Hz amplitude \(amplitude(100))")
    }

    @Test func reverberationKeepsLengthAndAlignment() {
        let room = ImageMethodRoom(size: [5, 4, 3], source: [1, 1, 1.5], microphone: [3, 2, 1.5], reverberationTime: 0.3)
        let response = room.impulseResponse(sampleRate: 16000, seconds: 0.3)
        var impulse = [Float](repeating: 0, count: 8000)
        impulse[1000] = 1
        let wet = WaveformAugmentation.reverberate(impulse, with: response)
        #expect(wet.count == impulse.count)
        // The direct path lands where the dry impulse was.
        #expect(wet.indices.max { abs(wet[$0]) < abs(wet[$1]) } == 1000)
    }
}
