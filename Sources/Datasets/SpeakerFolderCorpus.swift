import Foundation

/// Reads the VoxCeleb / LibriSpeech shape: `<root>/<speaker>/**/<utterance>.{wav,flac,sph}`.
/// Utterance ids are the path relative to the root without the extension (`id10270/5r0dWxy17C8/00001`).
public enum SpeakerFolderCorpus {
    /// The audio extensions read, in any case.
    public static let extensions: Set<String> = ["wav", "flac", "sph"]

    /// Every utterance under `root`, sorted by id.
    public static func read(root: String) throws -> [Utterance] {
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
