import Foundation

/// The files an input folder contributes to a stage, by content: each file's path (relative to
/// the folder), size and SHA-256. A stage's key holds the listing's `fingerprint`, so adding,
/// removing or rewriting a file renews the stage and everything after it. Checksums are
/// remembered by path, size, modification time and inode (as git's index does), so planning
/// again rereads only the files whose metadata changed.
public struct FileListing: Equatable, Sendable {
    /// One file.
    public struct Entry: Equatable, Sendable, Codable {
        /// The path relative to the folder.
        public let path: String
        /// Bytes.
        public let size: Int
        /// SHA-256 of the content, hex.
        public let checksum: String
    }

    /// The files, sorted by path.
    public let entries: [Entry]

    /// What a stage's key holds: the file count, total bytes and one digest of the listing.
    public struct Fingerprint: Codable, Hashable, Sendable {
        public let files: Int
        public let bytes: Int
        public let digest: String
    }

    /// The listing's fingerprint.
    public var fingerprint: Fingerprint {
        let digest = SHA256Digest()
        for entry in entries { digest.update(Array("\(entry.path)\t\(entry.size)\t\(entry.checksum)\n".utf8)) }
        return Fingerprint(files: entries.count, bytes: entries.reduce(0) { $0 + $1.size }, digest: digest.finishHex())
    }

    /// Lists `paths` (absolute, inside `root`) with checksums, reusing those `memo` remembers
    /// and writing the memo back (atomically) when it is given.
    public init(root: String, paths: [String], memo: URL? = nil) throws {
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        var remembered: [String: Memo] = [:]
        if let memo, let data = try? Data(contentsOf: memo), let decoded = try? JSONDecoder().decode([String: Memo].self, from: data) { remembered = decoded }
        var updated: [String: Memo] = [:]
        var entries: [Entry] = []
        for path in paths {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let relative = absolute.hasPrefix(base + "/") ? String(absolute.dropFirst(base.count + 1)) : absolute
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: absolute) else {
                throw PipelineError("\(absolute): cannot read this file's size; check that it exists and is readable")
            }
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            let modified = ((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
            let inode = (attributes[.systemFileNumber] as? NSNumber)?.intValue ?? 0
            let stat = Memo(size: size, modified: modified, inode: inode, checksum: "")
            let checksum: String
            if let known = remembered[absolute], known.matches(stat) { checksum = known.checksum }
            else {
                do { checksum = try SHA256Digest.hex(ofFile: absolute) }
                catch { throw PipelineError("\(absolute): cannot read this file (\(error.localizedDescription)); check its permissions") }
            }
            updated[absolute] = Memo(size: size, modified: modified, inode: inode, checksum: checksum)
            entries.append(Entry(path: relative, size: size, checksum: checksum))
        }
        self.entries = entries.sorted { $0.path < $1.path }
        if let memo, updated != remembered {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try? AtomicFile.write(try encoder.encode(updated), to: memo.path)
        }
    }

    /// A listing read back from `csv` (as a prepare stage records it).
    public init(csv: String) {
        entries = csv.split(separator: "\n").dropFirst().compactMap { line in
            // The path may hold commas; size and checksum are the last two fields.
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 3, let size = Int(fields[fields.count - 2]) else { return nil }
            return Entry(path: fields.dropLast(2).joined(separator: ","), size: size, checksum: String(fields[fields.count - 1]))
        }
    }

    /// `path,size,sha256` per file.
    public var csv: String {
        (["path,size,sha256"] + entries.map { "\($0.path),\($0.size),\($0.checksum)" }).joined(separator: "\n") + "\n"
    }

    /// How this listing differs from an earlier one: "3 files added, 1 removed, 2 rewritten".
    public func changes(since earlier: FileListing) -> String {
        let old = Dictionary(earlier.entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let added = new.keys.filter { old[$0] == nil }.count
        let removed = old.keys.filter { new[$0] == nil }.count
        let rewritten = new.filter { old[$0.key].map { $0 != new[$0.path]! } ?? false }.count
        var parts: [String] = []
        if added > 0 { parts.append("\(added) file\(added == 1 ? "" : "s") added") }
        if removed > 0 { parts.append("\(removed) removed") }
        if rewritten > 0 { parts.append("\(rewritten) rewritten") }
        return parts.isEmpty ? "no file changed" : parts.joined(separator: ", ")
    }

    /// What the memo remembers of a file.
    struct Memo: Codable, Equatable {
        let size: Int
        let modified: Double
        let inode: Int
        let checksum: String

        func matches(_ other: Memo) -> Bool { size == other.size && modified == other.modified && inode == other.inode }
    }
}
