import ArgumentParser
import Audio
import Foundation
import Pipeline
import Stages
import Tensor

/// `speakerlab embed RUN FILE_OR_FOLDER… --out DIR`.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed audio files with a trained run's front end and model: embeddings.npy (N × D float32) and embedding_ids.txt, or Kaldi text."
    )

    @OptionGroup var trained: TrainedRunOptions

    @Argument(help: "Audio files, or folders walked for .wav, .flac and .sph files.")
    var inputs: [String]

    @Option(help: "The folder the embeddings are written to (created if needed).")
    var out: String

    @Option(help: "npy (embeddings.npy and embedding_ids.txt) or kaldi (embeddings.txt: id  [ v1 v2 … ]).")
    var format: String = "npy"

    @Flag(help: "Also write each file's features, the network's input, as features/NNNNNN.npy (frames × bands, row order of the ids).")
    var features = false

    @Option(help: "Engine threads (default: the CPUs this process may use). Results do not depend on it.")
    var threads: Int?

    func validate() throws {
        guard EmbeddingFiles.Format(rawValue: format) != nil else { throw ValidationError("--format must be npy or kaldi; got '\(format)'") }
        if let threads { guard (1...4_096).contains(threads) else { throw ValidationError("--threads must be in 1…4096; got \(threads)") } }
    }

    func run() throws {
        do {
            if let threads { Parallel.threads = threads }
            try PublishedFolderGuard.check(URL(fileURLWithPath: out))
            let files = try AudioInputs.expand(inputs)
            let embedder = try trained.embedder(standard: .whole)
            let vectors = try embedder.embed(paths: files.map(\.path), threads: Parallel.threads)
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for written in try EmbeddingFiles.write(ids: files.map(\.id), embeddings: vectors, to: folder, format: EmbeddingFiles.Format(rawValue: format)!) {
                printError("wrote \(written.path)")
            }
            if features {
                let folder = folder.appendingPathComponent("features")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for (index, matrix) in try embedder.features(paths: files.map(\.path), threads: Parallel.threads).enumerated() {
                    try AtomicFile.write(NumpyArrayFile.encode(matrix.values, shape: [matrix.frames, matrix.bands]),
                                         to: folder.appendingPathComponent(String(format: "%06d.npy", index)).path)
                }
                printError("wrote \(folder.path)/ (\(files.count) feature matrices)")
            }
            print("\(files.count) file(s) embedded, \(embedder.dimension) dimensions each")
        } catch let error as PipelineError {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}
