#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The orthonormal DCT-II along the bands of log filterbank energies (scipy
/// `dct(type=2, norm="ortho")`, what python_speech_features' `mfcc` applies):
/// c_k = s_k Σ_n x_n cos(π k (2n + 1) / 2N), s_0 = √(1/N), s_k = √(2/N).
///
/// The basis is computed once in double precision and each frame is one small matrix-vector
/// product in a fixed order, so the coefficients do not depend on the machine.
struct CepstralTransform {
    /// The bands N of the filterbank the transform reads.
    let bands: Int
    /// basis[k · N + n], every k < N.
    let basis: [Float]

    init(bands: Int) {
        self.bands = bands
        var basis = [Float](repeating: 0, count: bands * bands)
        for k in 0..<bands {
            let scale = k == 0 ? (1 / Double(bands)).squareRoot() : (2 / Double(bands)).squareRoot()
            for n in 0..<bands {
                basis[k * bands + n] = Float(scale * cos(Double.pi * Double(k) * Double(2 * n + 1) / Double(2 * bands)))
            }
        }
        self.basis = basis
    }

    /// The first `coefficients` cepstral coefficients of every frame of `logMel` (frames × N).
    func apply(_ logMel: FeatureMatrix, coefficients: Int) -> FeatureMatrix {
        precondition(logMel.bands == bands && coefficients >= 1 && coefficients <= bands, "MFCC: \(coefficients) coefficients from \(logMel.bands) bands")
        var values = [Float](repeating: 0, count: logMel.frames * coefficients)
        basis.withUnsafeBufferPointer { basis in
            logMel.values.withUnsafeBufferPointer { input in
                values.withUnsafeMutableBufferPointer { out in
                    for frame in 0..<logMel.frames {
                        let row = input.baseAddress! + frame * bands
                        for k in 0..<coefficients {
                            let weights = basis.baseAddress! + k * bands
                            var sum: Float = 0
                            for n in 0..<bands { sum += weights[n] * row[n] }
                            out[frame * coefficients + k] = sum
                        }
                    }
                }
            }
        }
        return FeatureMatrix(frames: logMel.frames, bands: coefficients, values: values)
    }
}
