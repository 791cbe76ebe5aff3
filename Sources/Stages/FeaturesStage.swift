import Audio
import Datasets
import Foundation
import Pipeline
import Reports
import Spec
import Tensor

/// Extracts every utterance's features into `features.npy` [N, frames, bands] and `utterances.csv`.
enum FeaturesStage: StageDefinition {
    struct Parameters: Codable, Hashable, Sendable {
        let features: FeaturesSpec
        /// Whole voiced utterances (zero-padded to at least `wholeMinimumSeconds`) instead of the
        /// cut; `features.npy` is then [total frames, bands] and `utterances.csv` gains `frames`.
        /// nil for the cut, so the cut's key is as before.
        let whole: Bool?
    }

    /// A whole utterance's shortest length, so every network's downsampling has frames left.
    static let wholeMinimumSeconds = 1.0

    static let kind = "features"
    static let codeVersion = 2

    static func run(_ parameters: Parameters, _ context: StageContext) throws {
        let prepared = context.inputs["prepare"]!
        let manifest = try Manifest.parse(try String(contentsOf: prepared.appendingPathComponent("manifest.csv"), encoding: .utf8), file: "manifest.csv")
        let utterances = manifest.utterances.map { u -> Utterance in
            var copy = u
            if !u.path.hasPrefix("/") { copy.path = prepared.appendingPathComponent(u.path).path }
            return copy
        }
        var settings = StageArtifacts.featureSettings(parameters.features)
        let whole = parameters.whole == true
        if whole { settings.cutPad = .atLeast(seconds: wholeMinimumSeconds) }
        let results = ParallelFeatureExtraction.run(paths: utterances.map(\.path), settings: settings, threads: Parallel.threads)
        let failures = results.compactMap { if case let .failure(error) = $0 { return "\(error)" } else { return nil } }
        guard failures.isEmpty else { throw DatasetError("\(failures.count) file(s) failed:\n" + failures.joined(separator: "\n")) }
        let matrices = results.map { try! $0.get() }
        let shape = whole ? [matrices.reduce(0) { $0 + $1.frames }, matrices[0].bands] : [matrices.count, matrices[0].frames, matrices[0].bands]
        try NumpyArrayFile.encode(matrices.flatMap(\.values), shape: shape).write(to: context.output.appendingPathComponent("features.npy"))
        // Quoted cells: a speaker folder's name may hold a comma.
        let rows = [whole ? "id,speaker,split,frames" : "id,speaker,split"] + zip(utterances, matrices).map { utterance, matrix in
            ([utterance.id, utterance.speaker, utterance.split] + (whole ? [String(matrix.frames)] : [])).map(CSV.escape).joined(separator: ",")
        }
        try AtomicFile.write(rows.joined(separator: "\n") + "\n", to: context.output.appendingPathComponent("utterances.csv").path)
    }
}
