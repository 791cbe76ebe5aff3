import ArgumentParser
import Audio
import Foundation
import Tensor
import Stages

/// `speakerlab audio`: inspect the front end on a file, or export features.
struct AudioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audio",
        abstract: "Inspect the audio front end or export features.",
        subcommands: [InspectCommand.self, FeaturesCommand.self]
    )
}

/// The front-end choices shared by the audio subcommands.
struct FrontEndOptions: ParsableArguments {
    @Option(help: "Features: \(FeatureKind.names.joined(separator: ", ")).")
    var kind: String = "logfbank"

    @Option(help: "Voice activity detection: energy, adaptive, adaptive0…adaptive3, none.")
    var vad: String = "adaptive"

    @Option(help: "Cut/pad: seed (zero-pad or centre-crop to --seconds), none.")
    var cut: String = "seed"

    @Option(help: "Length for --cut seed, in seconds.")
    var seconds: Double = 3

    @Option(help: "Sample scale: int16 (the seed's HEAD), peak (its era A), unit.")
    var scale: String = "int16"

    @Option(help: "Normalisation: per-frame, cmvn, none.")
    var normalization: String = "per-frame"

    @Option(help: "Mel bands.")
    var bands: Int = 40

    @Option(help: "Sample rate every file is resampled to.")
    var rate: Int = 16000

    func settings() throws -> FeatureSettings {
        // The spec's ranges (features.seconds, bands, rate), checked before any file is read.
        guard seconds.isFinite, (0.1...60).contains(seconds) else { throw ValidationError("--seconds must be in 0.1…60; got \(seconds)") }
        guard (4...512).contains(bands) else { throw ValidationError("--bands must be in 4…512; got \(bands)") }
        guard (4_000...192_000).contains(rate) else { throw ValidationError("--rate must be in 4000…192000; got \(rate)") }
        guard let kind = FeatureKind(name: kind) else {
            throw ValidationError("unknown --kind '\(self.kind)'; use one of \(FeatureKind.names.joined(separator: ", "))")
        }
        let decision: VoiceDecision?
        switch vad {
        case "none": decision = nil
        case "energy": decision = .energy()
        case "adaptive": decision = .adaptive()
        case "adaptive0", "adaptive1", "adaptive2", "adaptive3": decision = .adaptive(aggressiveness: Int(String(vad.last!))!)
        default: throw ValidationError("unknown --vad '\(vad)'; use energy, adaptive, adaptive0…adaptive3 or none")
        }
        let cutPad: CutPad
        switch cut {
        case "seed": cutPad = .seed(seconds: seconds)
        case "none": cutPad = .none
        default: throw ValidationError("unknown --cut '\(cut)'; use seed or none")
        }
        guard let sampleScale = SampleScale(rawValue: scale) else {
            throw ValidationError("unknown --scale '\(scale)'; use int16, peak or unit")
        }
        guard let normalisation = FeatureNormalization(rawValue: normalization) else {
            throw ValidationError("unknown --normalization '\(normalization)'; use per-frame, cmvn or none")
        }
        return FeatureSettings(sampleRate: rate, voiceDecision: decision, cutPad: cutPad, kind: kind, bands: bands,
                               scale: sampleScale, normalization: normalisation)
    }
}

/// `speakerlab audio inspect FILE --out DIR`.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Plot a file's waveform before and after VAD and cut/pad, and its features, as SVG."
    )

    @Argument(help: "An audio file (WAV, NIST SPHERE, FLAC, …).")
    var file: String

    @Option(help: "Folder for the SVG plots.")
    var out: String

    @OptionGroup var frontEnd: FrontEndOptions

    func run() throws {
        do {
            print(try AudioInspection.run(path: file, settings: try frontEnd.settings(), folder: out), terminator: "")
        } catch let error as AudioError {
            printError("\(error)")
            throw ExitCode(1)
        }
    }
}

/// `speakerlab audio features FILE... --out DIR`.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Write one float32 .npy (frames × bands) per audio file."
    )

    @Argument(help: "Audio files.")
    var files: [String]

    @Option(help: "Output folder.")
    var out: String

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = ProcessorBudget.available

    @OptionGroup var frontEnd: FrontEndOptions

    func validate() throws {
        guard (1...4_096).contains(threads) else { throw ValidationError("--threads must be in 1…4096; got \(threads)") }
    }

    func run() throws {
        let summary = try FeatureExport.run(paths: files, settings: try frontEnd.settings(), folder: out, threads: threads)
        print("wrote \(summary.written.count) feature file(s) to \(out)")
        for failure in summary.failures { printError("\(failure)") }
        if !summary.failures.isEmpty {
            printError("\(summary.failures.count) of \(files.count) file(s) failed; nothing was written for them")
            throw ExitCode(1)
        }
    }
}
