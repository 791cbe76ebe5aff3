import Foundation

extension SpeakerFolderCorpus {
    /// Refuses a folder corpus whose speakers do not look like speakers: fewer than two, or
    /// folders named like splits or sets (`train`, `dev`, `wav`…) that hold more folders, which
    /// means the root is one level too high. The message names what was found and the fix.
    public static func checkLayout(_ utterances: [Utterance], root: String) throws {
        let bySpeaker = Dictionary(grouping: utterances, by: \.speaker)
        let speakers = bySpeaker.keys.sorted()
        let listed = speakers.prefix(8).joined(separator: ", ") + (speakers.count > 8 ? ", …" : "")
        let containerNames: Set<String> = ["train", "test", "dev", "eval", "valid", "validation", "wav", "wavs", "audio", "data", "dev-clean", "test-clean", "train-clean-100"]
        // A speaker folder whose utterances all lie in sub-folders that themselves hold many sub-folders is a container, not a speaker.
        let containers = speakers.filter { containerNames.contains($0.lowercased()) }
        if !containers.isEmpty {
            let inner = Set(bySpeaker[containers[0]]!.compactMap { $0.id.split(separator: "/").dropFirst().first.map(String.init) }).count
            throw DatasetError("\(root): error: \(speakers.count) speaker folder(s) found: \(listed); '\(containers[0])' (\(inner) folder(s) inside) looks like a split or a set, not a speaker — did you mean \(root)/\(containers[0])? A folder corpus is <root>/<speaker>/…/<utterance>.wav, or <root>/train/<speaker>/… and <root>/test/<speaker>/…")
        }
        guard speakers.count >= 2 else {
            throw DatasetError("\(root): error: only one speaker folder found (\(listed)); a folder corpus is <root>/<speaker>/…/<utterance>.wav with a folder per speaker — did you mean \(root)/\(listed)?")
        }
    }
}
