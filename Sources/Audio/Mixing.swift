/// Power, RMS scaling and mixing at a signal-to-noise ratio.
public enum Mixing {
    /// Mean square of the samples (0 for none).
    public static func power(_ samples: [Float]) -> Double {
        guard !samples.isEmpty else { return 0 }
        return samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)
    }

    /// The samples scaled to unit RMS (unchanged when silent).
    public static func scaledToUnitRMS(_ samples: [Float]) -> [Float] {
        let rms = power(samples).squareRoot()
        guard rms > 0 else { return samples }
        let scale = Float(1 / rms)
        return samples.map { $0 * scale }
    }

    /// `speech + g · noise` with g chosen so that power(speech) / power(g · noise) is `snr` dB;
    /// the noise is tiled or cut to the speech's length. Silent speech or noise: the speech.
    public static func add(noise: [Float], to speech: [Float], snr: Double) -> [Float] {
        guard !noise.isEmpty else { return speech }
        let fitted = (0..<speech.count).map { noise[$0 % noise.count] }
        let speechPower = power(speech), noisePower = power(fitted)
        guard speechPower > 0, noisePower > 0 else { return speech }
        let gain = Float((speechPower / (noisePower * pow(10, snr / 10))).squareRoot())
        var mixed = speech
        for index in mixed.indices { mixed[index] += gain * fitted[index] }
        return mixed
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
