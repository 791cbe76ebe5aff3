import Datasets
import Foundation
import Models
import Pipeline
import NN
import Randomness
import Tensor

/// Everything a killed run needs to continue exactly: weights, running statistics, optimizer
/// state, the sampler's position, every generator, the schedule and the history so far. One
/// safetensors file (the scalars as JSON in its metadata), replaced atomically.
struct ResumeState: Codable {
    var epoch: Int
    var globalStep: Int
    var learningRate: Double
    var optimizerSteps: Int
    var sampler: BatchSampler?
    var generator: SeededGenerator
    var dropout: SeededGenerator
    var plateau: PlateauReduction?
    var bestScore: Double
    var epochsWithoutImprovement: Int
    var history: [HistoryRow]

    static let fileName = "state.safetensors"

    /// Writes the state with the tensors to `folder/state.safetensors` (temp file, then rename).
    func save(to folder: String, tensors: [(name: String, tensor: Tensor)]) throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = String(decoding: try encoder.encode(self), as: UTF8.self)
        try AtomicFile.write(Checkpoint.encode(tensors, metadata: ["resume": json]), to: folder + "/" + Self.fileName)
    }

    /// Reads a saved state, or nil when none exists.
    static func load(from folder: String) throws -> (ResumeState, [String: Tensor])? {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let (tensors, metadata) = try Checkpoint.decode(data, path: path)
        guard let json = metadata["resume"] else { throw TrainingError("\(path): error: not a resume state (no 'resume' metadata)") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try decoder.decode(ResumeState.self, from: Data(json.utf8)), tensors)
    }
}
