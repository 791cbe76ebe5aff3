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
    }

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
        let settings = StageArtifacts.featureSettings(parameters.features)
        let results = ParallelFeatureExtraction.run(paths: utterances.map(\.path), settings: settings, threads: Parallel.threads)
        let failures = results.compactMap { if case let .failure(error) = $0 { return "\(error)" } else { return nil } }
        guard failures.isEmpty else { throw DatasetError("\(failures.count) file(s) failed:\n" + failures.joined(separator: "\n")) }
        let matrices = results.map { try! $0.get() }
        try NumpyArrayFile.encode(matrices.flatMap(\.values), shape: [matrices.count, matrices[0].frames, matrices[0].bands])
            .write(to: context.output.appendingPathComponent("features.npy"))
        // Quoted cells: a speaker folder's name may hold a comma.
        let rows = ["id,speaker,split"] + utterances.map { [$0.id, $0.speaker, $0.split].map(CSV.escape).joined(separator: ",") }
        try AtomicFile.write(rows.joined(separator: "\n") + "\n", to: context.output.appendingPathComponent("utterances.csv").path)
    }
}
