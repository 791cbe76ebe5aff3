import Foundation

/// Reads the VoxCeleb / LibriSpeech shape: `<root>/<speaker>/**/<utterance>.{wav,flac,sph}`.
/// Utterance ids are the path relative to the root without the extension (`id10270/5r0dWxy17C8/00001`).
/// A root whose folders are exactly `train` and `test` (as `speakerlab dataset synthesize` and
/// many corpora lay them out) is read as that split: `<root>/<split>/<speaker>/**/<utterance>`.
public enum SpeakerFolderCorpus {
    /// The audio extensions read, in any case.
    public static let extensions: Set<String> = ["wav", "flac", "sph"]
    /// The folder names of a corpus split by folder.
    public static let splitFolders: Set<String> = ["train", "test"]

    /// Every utterance under `root`, sorted by id; with the split layout, each carries its split.
    public static func read(root: String) throws -> [Utterance] {
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: "\(root)/\(name)", isDirectory: &isFolder) && isFolder.boolValue
        }
        guard Set(folders) == splitFolders else { return try readSpeakers(root: root) }
        return try folders.sorted().flatMap { split in
            try readSpeakers(root: "\(root)/\(split)").map { utterance in
                var utterance = utterance
                utterance.split = split
                return utterance
            }
        }.sorted { $0.id < $1.id }
    }

    /// Every utterance under `root` read as one folder per speaker, sorted by id.
    static func readSpeakers(root: String) throws -> [Utterance] {
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        guard fileManager.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw DatasetError("\(root): error: no such folder; pass the corpus root (one folder per speaker inside)")
        }
        var utterances: [Utterance] = []
        for speaker in try fileManager.contentsOfDirectory(atPath: root).sorted() where !speaker.hasPrefix(".") {
            let speakerPath = "\(root)/\(speaker)"
            guard fileManager.fileExists(atPath: speakerPath, isDirectory: &isFolder), isFolder.boolValue else { continue }
            guard let walker = fileManager.enumerator(atPath: speakerPath) else { continue }
            for case let relative as String in walker {
                let url = URL(fileURLWithPath: relative)
                guard extensions.contains(url.pathExtension.lowercased()) else { continue }
                let id = "\(speaker)/\(url.deletingPathExtension().relativePath)"
                utterances.append(Utterance(id: id, speaker: speaker, path: "\(speakerPath)/\(relative)"))
            }
        }
        guard !utterances.isEmpty else {
            throw DatasetError("\(root): error: no audio files (\(extensions.sorted().joined(separator: ", "))) in any speaker folder; expected <root>/<speaker>/…/<utterance>.wav")
        }
        return utterances.sorted { $0.id < $1.id }
    }
}
