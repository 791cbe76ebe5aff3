import Audio
import Datasets
import Foundation
import Pipeline
import Randomness
import Spec
import Tensor

/// Gathers what on-the-fly augmentation draws from: the voiced speech of every training
/// utterance (`speech`), the noise folder's recordings (`noises`) and room impulse responses
/// (`rooms`, from the RIR folder or simulated by the image method, seeded). Pretraining crops,
/// reverberates, mixes and masks from these afresh at every step.
enum AugmentStage: StageDefinition {
    /// What the bank depends on, and nothing of how it is drawn from (probabilities, SNRs, crops,
    /// masks are pretraining's), so ablations of those share one bank.
    struct Parameters: Codable, Hashable, Sendable {
        let features: FeaturesSpec
        let seed: Int
        let holdout: CalibrationHoldout?
        /// The noise folder (absolute) and its contents, so a file edited in place renews the stage.
        let noiseFolder: String?
        let noiseFiles: FileListing.Fingerprint?
        /// The RIR folder (absolute) and its contents; without one, the rooms simulated.
        let rirFolder: String?
        let rirFiles: FileListing.Fingerprint?
        let rooms: Int?
    }

    static let kind = "augment"
    static let codeVersion = 1

    /// A simulated room's impulse response length in seconds (RT60 is at most 0.8 s; the tail past 0.5 s is below −37 dB of it).
    static let roomSeconds = 0.5
    /// A recorded impulse response is cut to this many seconds.
    static let recordedResponseSeconds = 1.0
    /// A noise recording is cut to this many seconds.
    static let noiseSeconds = 60.0

    /// The audio files under a folder, sorted (what its fingerprint covers).
    /// The fewest samples a noise or room response may have (10 ms at 16 kHz).
    static let minimumRecordingSamples = 160

    static func audioFiles(in folder: String) throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw PipelineError("'\(folder)' is not a folder")
        }
        let extensions: Set<String> = ["wav", "flac", "sph", "ogg", "aif", "aiff", "au"]
        // A folder linked from a data disk (a MUSAN folder) is read through its link; files are named below the folder as given.
        let given = URL(fileURLWithPath: folder).standardizedFileURL
        let root = given.resolvingSymlinksInPath()
        var files: [String] = []
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            if extensions.contains(url.pathExtension.lowercased()), (try? url.resolvingSymlinksInPath().resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                files.append(given.path + url.standardizedFileURL.path.dropFirst(root.path.count))
            }
        }
        guard !files.isEmpty else { throw PipelineError("'\(folder)' holds no audio files (.wav, .flac, .sph, .ogg, .aiff, .au)") }
        return files.sorted()
    }

    static func run(_ parameters: Parameters, _ context: StageContext) throws {
        let prepared = context.inputs["prepare"]!
        let manifest = try Manifest.parse(try String(contentsOf: prepared.appendingPathComponent("manifest.csv"), encoding: .utf8), file: "manifest.csv")
        let training = manifest.utterances.filter { $0.split == "train" }
        let heldOut = try parameters.holdout.map { try $0.speakers(of: training.map(\.speaker)) } ?? []
        let chosen = training.filter { !heldOut.contains($0.speaker) }
        let paths = chosen.map { $0.path.hasPrefix("/") ? $0.path : prepared.appendingPathComponent($0.path).path }
        let settings = StageArtifacts.featureSettings(parameters.features)
        let results = ParallelFeatureExtraction.voicedSamples(paths: paths, settings: settings, threads: Parallel.threads)
        let failures = results.compactMap { if case let .failure(error) = $0 { return "\(error)" } else { return nil } }
        guard failures.isEmpty else { throw DatasetError("\(failures.count) file(s) failed:\n" + failures.joined(separator: "\n")) }
        try RaggedArrays.write(results.map { try! $0.get() }, names: chosen.map(\.id), speakers: chosen.map(\.speaker), name: "speech", to: context.output)

        let rate = settings.sampleRate
        var noises: [[Float]] = [], noiseNames: [String] = []
        if let folder = parameters.noiseFolder {
            for path in try audioFiles(in: folder) {
                let signal = try Resampler.resample(try AudioFile.read(path), to: rate, path: path)
                noises.append(Array(signal.samples.prefix(Int(noiseSeconds * Double(rate)))))
                noiseNames.append(String(path.dropFirst(folder.count).drop(while: { $0 == "/" })))
            }
        }
        try RaggedArrays.write(noises, names: noiseNames, speakers: noiseNames.map { _ in "" }, name: "noises", to: context.output)

        var rooms: [[Float]] = [], roomNames: [String] = []
        if let folder = parameters.rirFolder {
            for path in try audioFiles(in: folder) {
                let signal = try Resampler.resample(try AudioFile.read(path), to: rate, path: path)
                let response = Array(signal.samples.prefix(Int(recordedResponseSeconds * Double(rate))))
                // Unit energy, as the simulated rooms: reverberation keeps the speech's level.
                let energy = max(Float(Mixing.power(response) * Double(response.count)).squareRoot(), .leastNormalMagnitude)
                rooms.append(response.map { $0 / energy })
                roomNames.append(String(path.dropFirst(folder.count).drop(while: { $0 == "/" })))
            }
        } else {
            var generator = SeededGenerator(seed: UInt64(parameters.seed)).split("rooms")
            let simulated = (0..<(parameters.rooms ?? 0)).map { _ in ImageMethodRoom.random(using: &generator) }
            rooms = simulated.map { $0.impulseResponse(sampleRate: rate, seconds: roomSeconds) }
            roomNames = simulated.map { room in
                String(format: "room %.1f×%.1f×%.1f m, RT60 %.2f s", room.size[0], room.size[1], room.size[2], room.reverberationTime)
            }
        }
        // Screened like the corpus: an empty, one-sample or silent recording would silence every crop it touches.
        var problems: [String] = []
        for (kind, signals, names, folder) in [("noise", noises, noiseNames, parameters.noiseFolder), ("room response", parameters.rirFolder == nil ? [] : rooms, roomNames, parameters.rirFolder)] {
            for (signal, name) in zip(signals, names) {
                if signal.count < minimumRecordingSamples { problems.append("  \(folder ?? "")/\(name): a \(kind) of \(signal.count) sample(s); at least \(minimumRecordingSamples) are needed") }
                else if !signal.contains(where: { $0 != 0 && $0.isFinite }) { problems.append("  \(folder ?? "")/\(name): a silent \(kind) (every sample is zero)") }
            }
        }
        guard problems.isEmpty else {
            throw DatasetError("\(problems.count) augmentation recording(s) cannot be used:\n" + problems.joined(separator: "\n") + "\nremove them from the folder")
        }
        try RaggedArrays.write(rooms, names: roomNames, speakers: roomNames.map { _ in "" }, name: "rooms", to: context.output)
    }
}
