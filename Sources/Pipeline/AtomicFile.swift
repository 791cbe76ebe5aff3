import Foundation

/// Writes files so that a reader sees either the old content or the whole new content:
/// the bytes go to a temporary file in the same folder, are flushed, then renamed into place.
public enum AtomicFile {
    /// Replaces `path` with `data`, creating parent folders as needed.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        // A failed write (a full disk) removes its partial temporary file and names the destination, not the hidden file.
        do { try data.write(to: temporary) } catch {
            try? FileManager.default.removeItem(at: temporary)
            let nsError = error as NSError
            let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError
            let full = nsError.code == CocoaError.fileWriteOutOfSpace.rawValue || underlying?.code == Int(ENOSPC)
            throw CocoaError(full ? .fileWriteOutOfSpace : .fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        let descriptor = open(temporary.path, O_RDONLY)
        if descriptor >= 0 { fsync(descriptor); close(descriptor) }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot rename into \(path): \(reason)"])
        }
    }

    /// Replaces `path` with UTF-8 text.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }
}
