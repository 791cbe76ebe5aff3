import Foundation
import Testing
@testable import Audio

@Suite struct RealFFTTests {
    @Test func cosineAtBinKPutsAllPowerInBinK() {
        // x[n] = cos(2πkn/N) ⇒ X[k] = N/2, every other bin 0 (closed form).
        let size = 512, bin = 37
        let fft = RealFFT(size: size)
        let signal = (0..<size).map { Float(cos(2 * Double.pi * Double(bin * $0) / Double(size))) }
        let spectrum = fft.transform(signal)
        #expect(spectrum.count == 257)
        #expect(abs(spectrum[bin].real - 256) < 1e-3)
        #expect(abs(spectrum[bin].imaginary) < 1e-3)
        for (index, value) in spectrum.enumerated() where index != bin {
            #expect(abs(value.real) < 1e-3 && abs(value.imaginary) < 1e-3)
        }
    }

    @Test func shortFramesAreZeroPadded() {
        let fft = RealFFT(size: 8)
        var power = [Float](repeating: -1, count: 5)
        let frame: [Float] = [1, 1]
        frame.withUnsafeBufferPointer { input in power.withUnsafeMutableBufferPointer { fft.powerSpectrum(of: input, into: $0) } }
        // X[k] = 1 + e^{-2πik/8}; |X[k]|² = 2 + 2cos(πk/4).
        let expected = (0..<5).map { Float(2 + 2 * cos(Double.pi * Double($0) / 4)) }
        for (got, want) in zip(power, expected) { #expect(abs(got - want) < 1e-5) }
    }
}
