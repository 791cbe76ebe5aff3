import Foundation

/// Stationary noise of a spectral colour, at unit RMS.
public enum NoiseColour: String, CaseIterable, Equatable, Sendable, Codable {
    /// Flat spectrum.
    case white
    /// −3 dB per octave (1/f power).
    case pink
    /// −6 dB per octave (1/f² power), a leaky running sum of white noise.
    case brown

    /// `count` samples of this colour, scaled to unit RMS.
    public func samples<Generator: RandomNumberGenerator>(_ count: Int, using generator: inout Generator) -> [Float] {
        var output = [Float](repeating: 0, count: count)
        switch self {
        case .white:
            for index in 0..<count { output[index] = Float(Gaussian.next(using: &generator)) }
        case .pink:
            // Paul Kellet's economy filter: three first-order sections whose sum is 1/f within ±0.5 dB.
            var (b0, b1, b2) = (0.0, 0.0, 0.0)
            for index in 0..<count {
                let white = Gaussian.next(using: &generator)
                b0 = 0.99765 * b0 + white * 0.0990460
                b1 = 0.96300 * b1 + white * 0.2965164
                b2 = 0.57000 * b2 + white * 1.0526913
                output[index] = Float(b0 + b1 + b2 + white * 0.1848)
            }
        case .brown:
            var level = 0.0
            for index in 0..<count {
                level = 0.998 * level + Gaussian.next(using: &generator)
                output[index] = Float(level)
            }
        }
        return Mixing.scaledToUnitRMS(output)
    }
}

/// Standard normal samples from any generator (Box–Muller).
enum Gaussian {
    static func next<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Double {
        let u1 = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
