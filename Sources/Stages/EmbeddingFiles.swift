import Audio
import Foundation
import Pipeline

/// Embeddings on disk: `embeddings.npy` (N × D float32, row i the embedding of line i of
/// `embedding_ids.txt`), or Kaldi-style text (`id  [ v1 v2 … ]`, one line each), as `copy-vector`
/// writes and reads them.
public enum EmbeddingFiles {
    /// The two formats.
    public enum Format: String, Sendable, CaseIterable {
        /// `embeddings.npy` with `embedding_ids.txt`.
        case npy
        /// `embeddings.txt`, Kaldi text vectors.
        case kaldi
    }

    /// The array file's name.
    public static let arrayFile = "embeddings.npy"
    /// The ids file's name.
    public static let idsFile = "embedding_ids.txt"
    /// The Kaldi text file's name.
    public static let kaldiFile = "embeddings.txt"

    /// Writes the embeddings (atomically) into `folder`; returns the files written.
    @discardableResult
    public static func write(ids: [String], embeddings: [[Float]], to folder: URL, format: Format = .npy) throws -> [URL] {
        precondition(ids.count == embeddings.count, "one id per embedding")
        let dimension = embeddings.first?.count ?? 0
        for (id, vector) in zip(ids, embeddings) where id.contains(where: { $0 == "\n" || $0 == "\r" }) || vector.count != dimension {
            throw PipelineError("cannot write the embedding of '\(id)': an id holds a line break or the sizes differ")
        }
        switch format {
        case .npy:
            let array = folder.appendingPathComponent(arrayFile), names = folder.appendingPathComponent(idsFile)
            try AtomicFile.write(NumpyArrayFile.encode(embeddings.flatMap { $0 }, shape: [embeddings.count, dimension]), to: array.path)
            try AtomicFile.write(ids.map { $0 + "\n" }.joined(), to: names.path)
            return [array, names]
        case .kaldi:
            // Kaldi ids end at the first space; a space inside an id is written as '_', so two ids
            // that differ only there would become one: refused, naming both.
            var seen: [String: String] = [:]
            for id in ids {
                let kaldi = id.replacingOccurrences(of: " ", with: "_")
                if let other = seen[kaldi], other != id {
                    throw PipelineError("'\(other)' and '\(id)' are both '\(kaldi)' as Kaldi ids (a space becomes '_'); rename one, or use --format npy")
                }
                seen[kaldi] = id
            }
            let text = zip(ids, embeddings).map { id, vector in
                id.replacingOccurrences(of: " ", with: "_") + "  [ " + vector.map { "\($0)" }.joined(separator: " ") + " ]\n"
            }.joined()
            let file = folder.appendingPathComponent(kaldiFile)
            try AtomicFile.write(text, to: file.path)
            return [file]
        }
    }

    /// Reads `embeddings.npy` and `embedding_ids.txt` from a folder.
    public static func read(from folder: URL) throws -> (ids: [String], embeddings: [[Float]]) {
        let array = folder.appendingPathComponent(arrayFile)
        let (shape, values) = try NumpyArrayFile.decode(Data(contentsOf: array))
        let ids = try String(contentsOf: folder.appendingPathComponent(idsFile), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        guard shape.count == 2, shape[0] == ids.count else {
            throw PipelineError("\(array.path): \(shape) does not match the \(ids.count) ids of \(idsFile)")
        }
        return (ids, (0..<shape[0]).map { Array(values[($0 * shape[1])..<(($0 + 1) * shape[1])]) })
    }
}
