import Foundation

/// Foundation's file errors in words a user can act on: `NSCocoaErrorDomain Code=512 …` becomes
/// `/tmp/x/.cache: error: cannot write here (Not a directory); check that the folder exists and
/// is writable, or choose another with --results`.
public enum FileSystemMessage {
    /// The error's text: a readable sentence for a Foundation file error, else its own description.
    public static func describe(_ original: any Error) -> String {
        let error = original as NSError
        guard error.domain == NSCocoaErrorDomain || error.domain == NSPOSIXErrorDomain else { return "\(original)" }
        let path = (error.userInfo[NSFilePathErrorKey] as? String) ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        let underlying = (error.userInfo[NSUnderlyingErrorKey] as? any Error).map { $0 as NSError }.flatMap { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : nil }
        let cause = underlying.map { " (\($0))" } ?? (error.domain == NSPOSIXErrorDomain ? " (\(String(cString: strerror(Int32(error.code)))))" : "")
        let what: String
        switch CocoaError.Code(rawValue: error.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: what = "no such file or folder\(cause); check the path"
        case .fileReadNoPermission, .fileWriteNoPermission: what = "permission denied\(cause); check the folder's permissions or choose another"
        case .fileWriteOutOfSpace: what = "the disk is full\(cause); free space on it, or write elsewhere (--results for runs, --out for embed, score and trials)"
        case .fileWriteFileExists: what = "something is already there\(cause); move it away"
        case .fileReadCorruptFile, .fileReadUnknown, .fileReadInapplicableStringEncoding: what = "cannot read this file\(cause); check that it is the file you meant"
        default: what = "cannot write here\(cause); check that the folder exists and is writable, or choose another with --results"
        }
        return "\(path ?? "a file"): error: \(what)"
    }
}
