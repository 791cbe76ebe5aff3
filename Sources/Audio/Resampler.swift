internal import CSoxr

/// Sample-rate conversion through libsoxr (high quality, linear phase).
public enum Resampler {
    /// Returns `signal` at `rate` samples per second; the same signal when the rate already matches.
    public static func resample(_ signal: AudioSignal, to rate: Int, path: String = "<memory>") throws -> AudioSignal {
        guard signal.sampleRate != rate else { return signal }
        precondition(rate > 0, "target sample rate must be positive, got \(rate)")
        let ratio = Double(rate) / Double(signal.sampleRate)
        let capacity = Int((Double(signal.samples.count) * ratio).rounded(.up)) + 16
        var output = [Float](repeating: 0, count: capacity)
        var produced = 0
        let quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
        let error: soxr_error_t? = signal.samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
                var qualitySpec = quality
                return soxr_oneshot(Double(signal.sampleRate), Double(rate), 1,
                                    input.baseAddress, signal.samples.count, nil,
                                    out.baseAddress, capacity, &produced,
                                    &ioSpec, &qualitySpec, nil)
            }
        }
        if let error {
            throw AudioError(path: path, reason: "resampling \(signal.sampleRate) → \(rate) Hz failed (libsoxr: \(String(cString: error)))")
        }
        output.removeSubrange(produced...)
        return AudioSignal(samples: output, sampleRate: rate)
    }
}
