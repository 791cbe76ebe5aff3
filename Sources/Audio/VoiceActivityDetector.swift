/// The seed's voice activity detection (reference §2.2, after py-webrtcvad `example.py`):
/// 30 ms frames, a 10-frame ring; a segment opens when all 10 ring frames are voiced (and
/// includes them: 300 ms of pre-roll) and closes after 10 unvoiced frames (which it includes).
public struct VoiceActivityDetector: Equatable, Sendable {
    /// The per-frame decision.
    public var decision: VoiceDecision
    /// Frame length in milliseconds (webrtcvad accepts 10, 20 or 30).
    public var frameMilliseconds: Int
    /// The ring buffer's length in milliseconds (the seed's padding, 300).
    public var paddingMilliseconds: Int

    /// Creates a detector with the seed's framing by default.
    public init(decision: VoiceDecision, frameMilliseconds: Int = 30, paddingMilliseconds: Int = 300) {
        self.decision = decision
        self.frameMilliseconds = frameMilliseconds
        self.paddingMilliseconds = paddingMilliseconds
    }

    /// What detection kept.
    public struct Result: Equatable, Sendable {
        /// The kept samples, segments concatenated.
        public let samples: [Float]
        /// Each kept segment as a sample range of the input.
        public let segments: [Range<Int>]
        /// The per-frame decisions.
        public let frameDecisions: [Bool]
        /// Samples per frame.
        public let frameLength: Int
    }

    /// Runs detection on a signal.
    public func detect(_ signal: AudioSignal) -> Result {
        let frameLength = signal.sampleRate * frameMilliseconds / 1000
        // The seed yields frames while offset + n < length: the tail, and a last frame that
        // fits exactly, are dropped (reference §9.14).
        let frameCount = signal.samples.count > frameLength ? (signal.samples.count - 1) / frameLength : 0
        let voiced = decision.decide(signal.samples, frameLength: frameLength, frameCount: frameCount, sampleRate: signal.sampleRate)
        let ringLength = paddingMilliseconds / frameMilliseconds
        let frameSegments = Self.collect(voiced, ringLength: ringLength)
        let segments = frameSegments.map { ($0.lowerBound * frameLength)..<($0.upperBound * frameLength) }
        var kept: [Float] = []
        kept.reserveCapacity(segments.reduce(0) { $0 + $1.count })
        for segment in segments { kept += signal.samples[segment] }
        return Result(samples: kept, segments: segments, frameDecisions: voiced, frameLength: frameLength)
    }

    /// The segment collector on frame decisions; returns frame ranges.
    static func collect(_ voiced: [Bool], ringLength: Int) -> [Range<Int>] {
        var segments: [Range<Int>] = []
        var ring: [Int] = []  // frame indices, oldest first
        var triggered = false
        var segmentStart = 0
        var lastFrame = -1
        for frame in voiced.indices {
            ring.append(frame)
            if ring.count > ringLength { ring.removeFirst() }
            let voicedCount = ring.lazy.filter { voiced[$0] }.count
            if !triggered {
                if Double(voicedCount) > 0.9 * Double(ringLength) {
                    triggered = true
                    segmentStart = ring.first!
                    ring.removeAll()
                }
            } else {
                let unvoicedCount = ring.count - voicedCount
                if Double(unvoicedCount) > 0.9 * Double(ringLength) {
                    triggered = false
                    segments.append(segmentStart..<(frame + 1))
                    ring.removeAll()
                }
            }
            lastFrame = frame
        }
        if triggered { segments.append(segmentStart..<(lastFrame + 1)) }
        return segments
    }
}
