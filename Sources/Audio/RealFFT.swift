import Foundation
internal import CFFTW

/// A forward real-to-complex FFT of one fixed size, with its own buffers.
///
/// One instance per thread: the plan is shared-nothing and `transform` writes its own buffers.
public final class RealFFT {
    /// The transform length (input samples).
    public let size: Int
    /// The number of complex bins produced: size/2 + 1.
    public var binCount: Int { size / 2 + 1 }

    private let input: UnsafeMutablePointer<Float>
    private let output: UnsafeMutablePointer<fftwf_complex>
    private let plan: fftwf_plan

    /// Plans a forward transform of `size` real samples.
    public init(size: Int) {
        precondition(size > 0, "FFT size must be positive, got \(size)")
        self.size = size
        input = fftwf_alloc_real(size)
        output = fftwf_alloc_complex(size / 2 + 1)
        fftwPlannerLock.lock()
        plan = fftwf_plan_dft_r2c_1d(Int32(size), input, output, UInt32(FFTW_ESTIMATE))!
        fftwPlannerLock.unlock()
    }

    deinit {
        fftwPlannerLock.lock()
        fftwf_destroy_plan(plan)
        fftwPlannerLock.unlock()
        fftwf_free(input)
        fftwf_free(output)
    }

    /// Transforms `frame` (zero-padded or truncated to `size`) and writes |X[k]|² for each bin.
    public func powerSpectrum(of frame: UnsafeBufferPointer<Float>, into power: UnsafeMutableBufferPointer<Float>) {
        precondition(power.count >= binCount, "power buffer holds \(power.count), needs \(binCount)")
        let used = min(frame.count, size)
        input.update(from: frame.baseAddress!, count: used)
        if used < size { (input + used).initialize(repeating: 0, count: size - used) }
        fftwf_execute(plan)
        for bin in 0..<binCount {
            let (re, im) = output[bin]
            power[bin] = re * re + im * im
        }
    }

    /// Transforms `signal` and returns the complex bins as (real, imaginary) pairs.
    public func transform(_ signal: [Float]) -> [(real: Float, imaginary: Float)] {
        let used = min(signal.count, size)
        signal.withUnsafeBufferPointer { input.update(from: $0.baseAddress!, count: used) }
        if used < size { (input + used).initialize(repeating: 0, count: size - used) }
        fftwf_execute(plan)
        return (0..<binCount).map { (output[$0].0, output[$0].1) }
    }

}
