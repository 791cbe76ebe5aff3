import Foundation

/// A shoebox room simulated by the image method (Allen and Berkley, "Image method for
/// efficiently simulating small-room acoustics", JASA 1979): every mirror image of the source
/// in the six walls, up to the impulse response's length, adds an impulse delayed by its
/// distance to the microphone, scaled by 1/(4πd) and the walls' reflection coefficient once per
/// reflection. The walls share one coefficient, from the reverberation time by Sabine's formula.
public struct ImageMethodRoom: Equatable, Sendable, Codable {
    /// Length, width and height in metres.
    public var size: [Double]
    /// The source's position in metres.
    public var source: [Double]
    /// The microphone's position in metres.
    public var microphone: [Double]
    /// The reverberation time RT60 in seconds.
    public var reverberationTime: Double

    /// The speed of sound, metres per second.
    public static let speedOfSound = 343.0

    /// Creates a room; positions must lie inside it.
    public init(size: [Double], source: [Double], microphone: [Double], reverberationTime: Double) {
        precondition(size.count == 3 && source.count == 3 && microphone.count == 3, "a room has three dimensions")
        self.size = size
        self.source = source
        self.microphone = microphone
        self.reverberationTime = reverberationTime
    }

    /// A room drawn at random: 3–10 m × 3–8 m × 2.5–4 m, RT60 0.2–0.8 s, source and microphone at
    /// least 0.5 m from every wall.
    public static func random<Generator: RandomNumberGenerator>(using generator: inout Generator) -> ImageMethodRoom {
        let size = [Double.random(in: 3...10, using: &generator), Double.random(in: 3...8, using: &generator), Double.random(in: 2.5...4, using: &generator)]
        func position() -> [Double] { size.map { Double.random(in: 0.5...($0 - 0.5), using: &generator) } }
        return ImageMethodRoom(size: size, source: position(), microphone: position(), reverberationTime: Double.random(in: 0.2...0.8, using: &generator))
    }

    /// The walls' pressure reflection coefficient β = √(1 − α), α = 0.161 V / (S · RT60) (Sabine).
    public var reflection: Double {
        let volume = size[0] * size[1] * size[2]
        let surface = 2 * (size[0] * size[1] + size[0] * size[2] + size[1] * size[2])
        let absorption = min(0.999, 0.161 * volume / (surface * reverberationTime))
        return (1 - absorption).squareRoot()
    }

    /// The impulse response at `sampleRate`, `seconds` long, each image rounded to the nearest
    /// sample as the original method does, scaled to unit energy.
    public func impulseResponse(sampleRate: Int, seconds: Double) -> [Float] {
        let length = Int(seconds * Double(sampleRate))
        var response = [Double](repeating: 0, count: length)
        let beta = reflection
        let reach = seconds * Self.speedOfSound
        let orders = size.map { Int((reach / (2 * $0)).rounded(.up)) + 1 }
        for nx in -orders[0]...orders[0] {
            for ny in -orders[1]...orders[1] {
                for nz in -orders[2]...orders[2] {
                    for parity in 0..<8 {
                        let n = [nx, ny, nz]
                        var squared = 0.0
                        var reflections = 0
                        for axis in 0..<3 {
                            let p = (parity >> axis) & 1
                            // The image's coordinate along this axis: 2nL ± the source's.
                            let image = 2 * Double(n[axis]) * size[axis] + (p == 0 ? source[axis] : -source[axis])
                            squared += (image - microphone[axis]) * (image - microphone[axis])
                            reflections += abs(n[axis] - p) + abs(n[axis])
                        }
                        let distance = squared.squareRoot()
                        let delay = Int((distance / Self.speedOfSound * Double(sampleRate)).rounded())
                        guard delay < length else { continue }
                        response[delay] += pow(beta, Double(reflections)) / (4 * Double.pi * max(distance, 0.01))
                    }
                }
            }
        }
        let energy = response.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return response.map { Float($0 / max(energy, 1e-12)) }
    }
}
