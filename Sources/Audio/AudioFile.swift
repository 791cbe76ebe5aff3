import Foundation
internal import CSndFile

/// Reads and writes audio files through libsndfile (RIFF WAV, NIST SPHERE, FLAC and more).
public enum AudioFile {
    /// The container and sample encoding of a file to write.
    public enum Format: Sendable {
        /// RIFF WAV with 16-bit PCM samples.
        case wav16
        /// RIFF WAV with 24-bit PCM samples.
        case wav24
        /// RIFF WAV with 32-bit PCM samples.
        case wav32
        /// RIFF WAV with 32-bit float samples.
        case wavFloat
        /// NIST SPHERE with 16-bit little-endian PCM, as TIMIT ships it.
        case sphere16
        /// FLAC with 16-bit samples.
        case flac16

        var libsndfileFormat: Int32 {
            switch self {
            case .wav16: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
            case .wav24: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24)
            case .wav32: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_32)
            case .wavFloat: return Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT)
            case .sphere16: return Int32(SF_FORMAT_NIST | SF_FORMAT_PCM_16)
            case .flac16: return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
            }
        }
    }

    /// Reads a file and mixes its channels to mono. The container is detected from the
    /// content, not the extension, so upper-case TIMIT `.WAV` files in NIST SPHERE read as they are.
    public static func read(_ path: String) throws -> AudioSignal {
        guard FileManager.default.fileExists(atPath: path) else {
            throw AudioError(path: path, reason: "no such file; check the path and the corpus root")
        }
        var info = SF_INFO()
        guard let handle = sf_open(path, Int32(SFM_READ), &info) else {
            let message = String(cString: sf_strerror(nil))
            throw AudioError(path: path, reason: "not a readable audio file (libsndfile: \(message))")
        }
        defer { sf_close(handle) }
        if let declared = truncation(handle) {
            throw AudioError(path: path, reason: "truncated: the header declares \(declared) data bytes but the file ends before them (libsndfile: 'data : \(declared) (should be …)'); re-copy or re-export the file")
        }
        let channels = Int(info.channels)
        let frames = Int(info.frames)
        guard channels > 0, channels <= 64, info.samplerate > 0 else {
            throw AudioError(path: path, reason: "the header declares \(channels) channels at \(info.samplerate) Hz; re-export the file")
        }
        // The header's length sizes the buffer: refuse what no utterance is (a damaged header).
        guard frames >= 0, Double(frames) / Double(info.samplerate) <= Self.longestSeconds else {
            throw AudioError(path: path, reason: "the header declares \(frames) frames (\(Int(Double(frames) / Double(info.samplerate))) s); an utterance is at most \(Int(Self.longestSeconds)) s long, so the header is damaged or the file is a whole recording; re-export or segment it")
        }
        if Int(info.format) & Int(SF_FORMAT_TYPEMASK) == Int(SF_FORMAT_NIST), let declared = SphereHeader.sampleCount(path), declared != frames {
            throw AudioError(path: path, reason: "the SPHERE header declares sample_count \(declared), but the file holds \(frames) samples; the file is truncated or its header was edited; re-copy it")
        }
        var framesRead = 0
        let isPCM16 = Int(info.format) & Int(SF_FORMAT_SUBMASK) == Int(SF_FORMAT_PCM_16)
        let interleaved = [Float](unsafeUninitializedCapacity: frames * channels) { buffer, initialized in
            if isPCM16 {
                // 16-bit files (TIMIT, most corpora): read the integers and scale them here, a
                // vectorised loop, instead of libsndfile's per-sample conversion (9× fewer instructions).
                var integers = [Int16](repeating: 0, count: frames * channels)
                framesRead = max(0, integers.withUnsafeMutableBufferPointer { Int(sf_readf_short(handle, $0.baseAddress, sf_count_t(frames))) })
                integers.withUnsafeBufferPointer { source in
                    for index in 0..<(frames * channels) { buffer[index] = Float(source[index]) * (1 / 32768) }
                }
            } else {
                framesRead = max(0, Int(sf_readf_float(handle, buffer.baseAddress, sf_count_t(frames))))
                // Zero whatever a truncated file left unread, so the array is fully initialised.
                if framesRead < frames { (buffer.baseAddress! + framesRead * channels).initialize(repeating: 0, count: (frames - framesRead) * channels) }
            }
            initialized = frames * channels
        }
        guard framesRead == frames else {
            throw AudioError(path: path, reason: "truncated: the header declares \(frames) frames, only \(framesRead) could be read")
        }
        if !isPCM16 {
            let bad = interleaved.reduce(0) { $1.isFinite ? $0 : $0 + 1 }
            guard bad == 0 else {
                throw AudioError(path: path, reason: "\(bad) of its \(interleaved.count) samples are not finite (inf or NaN); re-export the file from its source")
            }
        }
        return AudioSignal(samples: mixToMono(interleaved, channels: channels), sampleRate: Int(info.samplerate))
    }

    /// The longest file read (a guard against damaged headers sizing the buffer): 3 hours.
    public static let longestSeconds = 3.0 * 3600

    /// Writes mono samples (full scale ±1) to a file, replacing it atomically.
    public static func write(_ signal: AudioSignal, to path: String, format: Format = .wav16) throws {
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        var info = SF_INFO()
        info.samplerate = Int32(signal.sampleRate)
        info.channels = 1
        info.format = format.libsndfileFormat
        guard let handle = sf_open(temporary, Int32(SFM_WRITE), &info) else {
            let message = String(cString: sf_strerror(nil))
            throw AudioError(path: path, reason: "cannot be written (libsndfile: \(message))")
        }
        let written = signal.samples.withUnsafeBufferPointer {
            Int(sf_writef_float(handle, $0.baseAddress, sf_count_t(signal.samples.count)))
        }
        sf_close(handle)
        guard written == signal.samples.count else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw AudioError(path: path, reason: "only \(written) of \(signal.samples.count) frames were written; is the disk full?")
        }
        if rename(temporary, path) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw AudioError(path: path, reason: "cannot move the written file into place: \(String(cString: strerror(errno)))")
        }
    }

    /// libsndfile reads a WAV whose data chunk runs past the end of the file without an error,
    /// shortening it silently; its log records `data : <declared> (should be <available>)`.
    /// Returns the declared size when that line is there.
    static func truncation(_ handle: OpaquePointer) -> Int? {
        var log = [CChar](repeating: 0, count: 8192)
        sf_command(handle, Int32(SFC_GET_LOG_INFO), &log, Int32(log.count))
        let text = String(cString: log)
        for line in text.split(separator: "\n") where line.hasPrefix("data") && line.contains("(should be") {
            let digits = line.split(separator: ":").dropFirst().first?.split(separator: " ").first.flatMap { Int($0) }
            return digits ?? -1
        }
        return nil
    }

    /// Averages interleaved channels into one.
    static func mixToMono(_ interleaved: [Float], channels: Int) -> [Float] {
        guard channels > 1 else { return interleaved }
        let frames = interleaved.count / channels
        var mono = [Float](repeating: 0, count: frames)
        let scale = 1 / Float(channels)
        for frame in 0..<frames {
            var sum: Float = 0
            for channel in 0..<channels { sum += interleaved[frame * channels + channel] }
            mono[frame] = sum * scale
        }
        return mono
    }
}
