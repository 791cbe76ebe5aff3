import Foundation
internal import CFFTW

/// FFTW's planner is not thread-safe (only execution is): every plan and every plan destruction
/// in this module, `RealFFT`'s included, happens under this one lock. (Two locks once let the
/// VAD's and the feature extractor's planners run at once on two threads, which hung FFTW.)
let fftwPlannerLock = NSLock()

/// Power spectra of overlapping frames, two real frames per complex FFT, in batches with one FFTW plan.
///
/// Frame t holds samples [t·hop + offset, t·hop + offset + frameLength) of the (optionally
/// pre-emphasised) signal, zeros outside it, times the window, zero-padded to `fftSize`. Where the
/// frame sits inside the FFT buffer only changes the phase, so the power equals that of a frame
/// centred in a longer window (librosa's centred frames).
///
/// Frames a and b go in as z = a + i·b; with Z = FFT(z), A[k] = (Z[k] + conj Z[N−k])/2 and
/// B[k] = (Z[k] − conj Z[N−k])/2i. A complex transform of two frames costs a third of two real
/// transforms with FFTW's estimated plans, and estimated plans keep results identical run to run
/// (measured plans may pick different algorithms, and so different roundings, each run).
/// One instance per thread: it owns its buffers.
final class FramePowerSpectra {
    let fftSize: Int
    let frameLength: Int
    let hop: Int
    let offset: Int
    let window: [Float]?
    let preEmphasis: Float?
    /// Frame pairs per FFTW execution.
    let pairsPerBatch: Int
    var binCount: Int { fftSize / 2 + 1 }

    // Split-complex buffers: pair p's real parts at real[p·n…], imaginary parts at imaginary[p·n…].
    private let real: UnsafeMutablePointer<Float>
    private let imaginary: UnsafeMutablePointer<Float>
    private let outputReal: UnsafeMutablePointer<Float>
    private let outputImaginary: UnsafeMutablePointer<Float>
    private let plan: fftwf_plan
    /// One batch of powers, bins × frames.
    private let transposed: UnsafeMutablePointer<Float>
    /// The pre-emphasised signal, reused across calls.
    private var emphasised: [Float] = []

    init(fftSize: Int, frameLength: Int, hop: Int, offset: Int = 0, window: [Float]? = nil, preEmphasis: Float? = nil, pairsPerBatch: Int = 32) {
        precondition(frameLength <= fftSize, "frame length \(frameLength) exceeds FFT size \(fftSize)")
        precondition(window == nil || window!.count == frameLength, "window length must equal the frame length")
        self.fftSize = fftSize
        self.frameLength = frameLength
        self.hop = hop
        self.offset = offset
        self.window = window
        self.preEmphasis = preEmphasis
        self.pairsPerBatch = pairsPerBatch
        let total = pairsPerBatch * fftSize
        real = fftwf_alloc_real(total)
        imaginary = fftwf_alloc_real(total)
        outputReal = fftwf_alloc_real(total)
        outputImaginary = fftwf_alloc_real(total)
        var transform = fftwf_iodim(n: Int32(fftSize), is: 1, os: 1)
        var batch = fftwf_iodim(n: Int32(pairsPerBatch), is: Int32(fftSize), os: Int32(fftSize))
        fftwPlannerLock.lock()
        plan = fftwf_plan_guru_split_dft(1, &transform, 1, &batch, real, imaginary, outputReal, outputImaginary, UInt32(FFTW_ESTIMATE))!
        fftwPlannerLock.unlock()
        // Planning may scribble on the buffers; the tails [frameLength, n) must be zero and stay so.
        real.initialize(repeating: 0, count: total)
        imaginary.initialize(repeating: 0, count: total)
        transposed = .allocate(capacity: (fftSize / 2 + 1) * 2 * pairsPerBatch)
        transposed.initialize(repeating: 0, count: (fftSize / 2 + 1) * 2 * pairsPerBatch)
    }

    deinit {
        fftwPlannerLock.lock()
        fftwf_destroy_plan(plan)
        fftwPlannerLock.unlock()
        for pointer in [real, imaginary, outputReal, outputImaginary] { fftwf_free(pointer) }
        transposed.deallocate()
    }

    /// The number of frames in one batch, and the row stride of a transposed batch.
    var framesPerBatch: Int { 2 * pairsPerBatch }

    /// Computes scale·|X[k]|² for every frame, batch by batch. For each batch, `consume` receives
    /// the index of its first frame, its frame count, and the powers transposed: bin k of the
    /// batch's frame s at `[k · framesPerBatch + s]` (frames are the fast axis, so consumers
    /// vectorise across frames).
    func compute(_ input: UnsafeBufferPointer<Float>, frameCount: Int, scale: Float,
                 consume: (_ firstFrame: Int, _ frames: Int, _ transposedPower: UnsafePointer<Float>) -> Void) {
        if let coefficient = preEmphasis {
            // y[0] = x[0], y[t] = x[t] − c·x[t−1]; the zero padding after the signal is not emphasised.
            if emphasised.count < input.count { emphasised = [Float](repeating: 0, count: input.count) }
            emphasised.withUnsafeMutableBufferPointer { output in
                guard let first = input.first else { return }
                output[0] = first
                for index in 1..<max(1, input.count) { output[index] = input[index] - coefficient * input[index - 1] }
            }
            emphasised.withUnsafeBufferPointer { transform(UnsafeBufferPointer(rebasing: $0[0..<input.count]), frameCount: frameCount, scale: scale, consume: consume) }
        } else {
            transform(input, frameCount: frameCount, scale: scale, consume: consume)
        }
    }

    private func transform(_ signal: UnsafeBufferPointer<Float>, frameCount: Int, scale: Float,
                           consume: (Int, Int, UnsafePointer<Float>) -> Void) {
        let bins = binCount
        let n = fftSize
        let quarterScale = scale / 4
        var firstFrame = 0
        while firstFrame < frameCount {
            let frames = min(2 * pairsPerBatch, frameCount - firstFrame)
            let pairs = (frames + 1) / 2
            for slot in 0..<(2 * pairs) {
                // The even frame of a pair goes in the real parts, the odd one in the imaginary parts.
                let destination = (slot % 2 == 0 ? real : imaginary) + (slot / 2) * n
                let frame = firstFrame + slot
                if frame < frameCount {
                    fill(destination, frameStart: frame * hop + offset, signal: signal)
                } else {
                    destination.update(repeating: 0, count: frameLength)
                }
            }
            fftwf_execute(plan)
            let stride = framesPerBatch
            for pair in 0..<pairs {
                let re = outputReal + pair * n, im = outputImaginary + pair * n
                let even = transposed + 2 * pair, odd = even + 1
                // Bin 0 pairs with itself (its mirror is bin 0). An odd slot past the last frame is ignored.
                even[0] = re[0] * re[0] * scale
                odd[0] = im[0] * im[0] * scale
                for k in 1..<bins {
                    let a = re[k], b = im[k], c = re[n - k], d = im[n - k]
                    even[k * stride] = ((a + c) * (a + c) + (b - d) * (b - d)) * quarterScale
                    odd[k * stride] = ((a - c) * (a - c) + (b + d) * (b + d)) * quarterScale
                }
            }
            consume(firstFrame, frames, transposed)
            firstFrame += frames
        }
    }

    /// Copies one frame (zeros outside the signal), windowed, into `destination[0..<frameLength]`.
    @inline(__always)
    private func fill(_ destination: UnsafeMutablePointer<Float>, frameStart: Int, signal: UnsafeBufferPointer<Float>) {
        let lower = max(0, frameStart), upper = min(signal.count, frameStart + frameLength)
        if lower >= upper {
            destination.update(repeating: 0, count: frameLength)
        } else {
            if lower > frameStart { destination.update(repeating: 0, count: lower - frameStart) }
            (destination + (lower - frameStart)).update(from: signal.baseAddress! + lower, count: upper - lower)
            let end = upper - frameStart
            if end < frameLength { (destination + end).update(repeating: 0, count: frameLength - end) }
        }
        if let window {
            window.withUnsafeBufferPointer { w in
                for index in 0..<frameLength { destination[index] *= w[index] }
            }
        }
    }
}
