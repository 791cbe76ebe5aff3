import Foundation
internal import CFFTW

/// Linear convolution through FFTW's real transforms (r2c, pointwise product, c2r), for
/// reverberating speech with a room impulse response of thousands of taps.
public enum FFTConvolution {
    /// The full linear convolution of `signal` and `kernel` (length n + m − 1).
    public static func convolve(_ signal: [Float], _ kernel: [Float]) -> [Float] {
        guard !signal.isEmpty, !kernel.isEmpty else { return [] }
        let length = signal.count + kernel.count - 1
        var size = 1
        while size < length { size *= 2 }
        let bins = size / 2 + 1
        let real = fftwf_alloc_real(size)!
        let first = fftwf_alloc_complex(bins)!
        let second = fftwf_alloc_complex(bins)!
        defer { fftwf_free(real); fftwf_free(first); fftwf_free(second) }
        fftwPlannerLock.lock()
        let forwardFirst = fftwf_plan_dft_r2c_1d(Int32(size), real, first, UInt32(FFTW_ESTIMATE))!
        let forwardSecond = fftwf_plan_dft_r2c_1d(Int32(size), real, second, UInt32(FFTW_ESTIMATE))!
        let inverse = fftwf_plan_dft_c2r_1d(Int32(size), first, real, UInt32(FFTW_ESTIMATE))!
        fftwPlannerLock.unlock()
        defer {
            fftwPlannerLock.lock()
            fftwf_destroy_plan(forwardFirst); fftwf_destroy_plan(forwardSecond); fftwf_destroy_plan(inverse)
            fftwPlannerLock.unlock()
        }
        func load(_ values: [Float]) {
            values.withUnsafeBufferPointer { real.update(from: $0.baseAddress!, count: values.count) }
            (real + values.count).initialize(repeating: 0, count: size - values.count)
        }
        load(signal)
        fftwf_execute(forwardFirst)
        load(kernel)
        fftwf_execute(forwardSecond)
        for bin in 0..<bins {
            let (a, b) = first[bin], (c, d) = second[bin]
            first[bin] = (a * c - b * d, a * d + b * c)
        }
        fftwf_execute(inverse)
        // FFTW's inverse is unnormalised.
        let scale = 1 / Float(size)
        return (0..<length).map { real[$0] * scale }
    }
}
