import Foundation
internal import CFFTW

/// FFTW's planner is not thread-safe (only execution is); every plan in this module is made under this lock.
let fftwPlannerLock = NSLock()

/// Power spectra of overlapping frames, transformed in batches with one FFTW plan.
///
/// Frame t holds samples [t·hop + offset, t·hop + offset + frameLength) of the signal (zeros outside
/// it), times the window, zero-padded to `fftSize`. Where the frame sits inside the FFT buffer only
/// changes the phase, so the power equals that of a frame centred in a longer window (librosa's).
/// One instance per thread: it owns its buffers.
final class FramePowerSpectra {
    let fftSize: Int
    let frameLength: Int
    let hop: Int
    let offset: Int
    let window: [Float]?
    let batch: Int
    var binCount: Int { fftSize / 2 + 1 }

    private let input: UnsafeMutablePointer<Float>
    private let output: UnsafeMutablePointer<fftwf_complex>
    private let plan: fftwf_plan

    init(fftSize: Int, frameLength: Int, hop: Int, offset: Int = 0, window: [Float]? = nil, batch: Int = 64) {
        precondition(frameLength <= fftSize, "frame length \(frameLength) exceeds FFT size \(fftSize)")
        precondition(window == nil || window!.count == frameLength, "window length must equal the frame length")
        self.fftSize = fftSize
        self.frameLength = frameLength
        self.hop = hop
        self.offset = offset
        self.window = window
        self.batch = batch
        input = fftwf_alloc_real(batch * fftSize)
        output = fftwf_alloc_complex(batch * (fftSize / 2 + 1))
        input.initialize(repeating: 0, count: batch * fftSize)
        var size = Int32(fftSize)
        fftwPlannerLock.lock()
        plan = fftwf_plan_many_dft_r2c(1, &size, Int32(batch), input, nil, 1, Int32(fftSize),
                                       output, nil, 1, Int32(fftSize / 2 + 1), UInt32(FFTW_ESTIMATE))!
        fftwPlannerLock.unlock()
    }

    deinit {
        fftwPlannerLock.lock()
        fftwf_destroy_plan(plan)
        fftwPlannerLock.unlock()
        fftwf_free(input)
        fftwf_free(output)
    }

    /// Writes `frameCount × binCount` values of scale·|X[k]|² into `power`.
    func compute(_ signal: UnsafeBufferPointer<Float>, frameCount: Int, scale: Float, into power: UnsafeMutablePointer<Float>) {
        let bins = binCount
        var first = 0
        while first < frameCount {
            let count = min(batch, frameCount - first)
            for slot in 0..<count {
                let destination = input + slot * fftSize
                let start = (first + slot) * hop + offset
                for index in 0..<frameLength {
                    let position = start + index
                    destination[index] = position >= 0 && position < signal.count ? signal[position] : 0
                }
                if let window {
                    window.withUnsafeBufferPointer { w in for index in 0..<frameLength { destination[index] *= w[index] } }
                }
                // The tail [frameLength, fftSize) stays zero from initialisation.
            }
            fftwf_execute(plan)
            for slot in 0..<count {
                let spectrum = output + slot * bins
                let row = power + (first + slot) * bins
                for bin in 0..<bins {
                    let (re, im) = spectrum[bin]
                    row[bin] = (re * re + im * im) * scale
                }
            }
            first += count
        }
    }
}
