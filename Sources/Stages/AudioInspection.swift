import Audio
import Foundation
import Pipeline
import Reports

/// `speakerlab audio inspect`: the pictures researchers use to check a front end, for one file.
public enum AudioInspection {
    /// Runs the front end on `path` and writes four SVGs to `folder`; returns the numbers as text.
    public static func run(path: String, settings: FeatureSettings, folder: String) throws -> String {
        let extractor = FeatureExtractor(settings: settings)
        var generator = SystemRandomNumberGenerator()
        let prepared = try extractor.prepare(path: path, using: &generator)
        let rate = Double(settings.sampleRate)
        let original = prepared.original.samples
        let kept = prepared.voiceActivity?.samples ?? original
        var outputs: [(String, String)] = []

        var before = waveform(original, rate: rate, title: "Waveform before VAD")
        before.bands = (prepared.voiceActivity?.segments ?? []).map { (Double($0.lowerBound) / rate, Double($0.upperBound) / rate) }
        outputs.append(("waveform-before-vad.svg", before.svg()))
        outputs.append(("waveform-after-vad.svg", waveform(kept, rate: rate, title: "Waveform after VAD").svg()))
        outputs.append(("waveform-after-cut.svg", waveform(prepared.cut, rate: rate, title: "Waveform after cut/pad (\(settings.cutPad))").svg()))

        let features = prepared.features
        let hopSeconds = 0.010
        let map = HeatMap(title: "\(settings.kind.name), \(features.bands) bands, normalisation \(settings.normalization.rawValue)",
                          values: features.values, columns: features.frames, rows: features.bands,
                          xAxis: Axis(title: "time (s)", lower: 0, upper: max(Double(features.frames) * hopSeconds, 0.01)),
                          yAxis: Axis(title: settings.kind == .logfbank || { if case .logmel = settings.kind { return true }; return false }() ? "mel band" : "frequency bin",
                                      lower: 0, upper: Double(features.bands)))
        outputs.append(("features.svg", map.svg()))

        for (name, document) in outputs {
            try AtomicFile.write(document, to: URL(fileURLWithPath: folder).appendingPathComponent(name).path)
        }
        let segments = prepared.voiceActivity?.segments ?? []
        let voicedFrames = prepared.voiceActivity?.frameDecisions.filter { $0 }.count ?? 0
        let totalFrames = prepared.voiceActivity?.frameDecisions.count ?? 0
        var lines = [
            "file            \(path)",
            "sample rate     \(settings.sampleRate) Hz",
            String(format: "duration        %.3f s", Double(original.count) / rate),
            String(format: "after VAD       %.3f s in %d segment(s); %d of %d frames voiced", Double(kept.count) / rate, segments.count, voicedFrames, totalFrames),
            String(format: "after cut/pad   %.3f s", Double(prepared.cut.count) / rate),
            "features        \(features.frames) frames × \(features.bands) bands (\(settings.kind.name))",
        ]
        for segment in segments {
            lines.append(String(format: "  segment       %.3f – %.3f s", Double(segment.lowerBound) / rate, Double(segment.upperBound) / rate))
        }
        lines.append("wrote           " + outputs.map { URL(fileURLWithPath: folder).appendingPathComponent($0.0).path }.joined(separator: "\n                "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A waveform as a min/max envelope of at most 1200 columns.
    static func waveform(_ samples: [Float], rate: Double, title: String) -> LinePlot {
        let duration = max(Double(samples.count) / rate, 0.01)
        let columns = max(1, min(1200, samples.count))
        let perColumn = max(1, samples.count / columns)
        var points: [(x: Double, y: Double)] = []
        var start = 0
        while start < samples.count {
            let slice = samples[start..<min(samples.count, start + perColumn)]
            let time = Double(start) / rate
            points.append((time, Double(slice.min()!)))
            points.append((time, Double(slice.max()!)))
            start += perColumn
        }
        let peak = max(Double(samples.lazy.map { abs($0) }.max() ?? 0), 1e-4)
        return LinePlot(title: title, xAxis: Axis(title: "time (s)", lower: 0, upper: duration),
                        yAxis: Axis(title: "amplitude (full scale)", lower: -peak * 1.05, upper: peak * 1.05),
                        series: [LinePlot.Series(name: "", points: points)])
    }
}
