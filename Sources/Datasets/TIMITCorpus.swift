import Foundation

/// Reads TIMIT as LDC ships it (upper-case `TRAIN/DR1/FCJF0/SA1.WAV`, NIST SPHERE) or as people
/// have renamed it (lower case, RIFF WAV): `<root>/<usage>/<dialect>/<sex><initials><digit>/<sentence>.wav`.
public enum TIMITCorpus {
    /// Every utterance under `root`, sorted by id; `.PHN`, `.TXT`, `.WRD` files are ignored.
    public static func read(root: String) throws -> [Utterance] {
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        guard fileManager.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw DatasetError("\(root): error: no such folder; pass the TIMIT root (the folder holding TRAIN and TEST)")
        }
        let usages = try fileManager.contentsOfDirectory(atPath: root).filter { ["train", "test"].contains($0.lowercased()) }
        guard !usages.isEmpty else {
            throw DatasetError("\(root): error: not a TIMIT layout: no TRAIN or TEST folder inside (found: \(try fileManager.contentsOfDirectory(atPath: root).sorted().prefix(8).joined(separator: ", ")))")
        }
        var utterances: [Utterance] = []
        for usage in usages.sorted() {
            let usagePath = "\(root)/\(usage)"
            for dialect in try fileManager.contentsOfDirectory(atPath: usagePath).sorted() where dialect.lowercased().range(of: #"^dr[1-8]$"#, options: .regularExpression) != nil {
                let dialectPath = "\(usagePath)/\(dialect)"
                for speakerFolder in try fileManager.contentsOfDirectory(atPath: dialectPath).sorted() {
                    let speaker = speakerFolder.lowercased()
                    guard speaker.range(of: #"^[mf][a-z]{3}[0-9]$"#, options: .regularExpression) != nil else { continue }
                    let speakerPath = "\(dialectPath)/\(speakerFolder)"
                    for file in try fileManager.contentsOfDirectory(atPath: speakerPath).sorted() {
                        let lower = file.lowercased()
                        guard lower.hasSuffix(".wav") else { continue }
                        let sentence = String(lower.dropLast(4))
                        guard let type = ["sa", "si", "sx"].first(where: { sentence.hasPrefix($0) }) else { continue }
                        utterances.append(Utterance(id: "\(speaker)_\(sentence)", speaker: speaker, path: "\(speakerPath)/\(file)",
                                                    split: usage.lowercased(), sex: String(speaker.prefix(1)),
                                                    dialect: dialect.lowercased(), sentenceType: type))
                    }
                }
            }
        }
        guard !utterances.isEmpty else {
            throw DatasetError("\(root): error: no utterances found under \(usages.joined(separator: ", ")); expected <usage>/DR1…DR8/<speaker>/SA1.WAV")
        }
        return utterances.sorted { $0.id < $1.id }
    }
}
