import Foundation
internal import CCrypto

/// SHA-256 through OpenSSL's libcrypto (EVP interface): cache keys and content checksums.
///
/// One instance owns one EVP digest context; feed it bytes with `update` and read the digest
/// once with `finish`. `SHA256Digest.hex(of:)` and `hex(ofFile:)` are the one-call forms.
public final class SHA256Digest {
    private let context: OpaquePointer

    /// A fresh SHA-256 computation.
    public init() {
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("libcrypto could not allocate a digest context") }
        self.context = context
        precondition(EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1, "libcrypto could not start SHA-256")
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes to the digest.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        precondition(EVP_DigestUpdate(context, base, bytes.count) == 1, "libcrypto failed to update SHA-256")
    }

    /// Adds bytes to the digest.
    public func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let array = Array(bytes)
        array.withUnsafeBytes { update($0) }
    }

    /// The 32-byte digest; the instance must not be used afterwards.
    public func finish() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var size: UInt32 = 0
        precondition(EVP_DigestFinal_ex(context, &digest, &size) == 1 && size == 32, "libcrypto failed to finish SHA-256")
        return Array(digest.prefix(32))
    }

    /// The digest as 64 lowercase hexadecimal digits.
    public func finishHex() -> String {
        finish().map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of some bytes, as 64 lowercase hexadecimal digits.
    public static func hex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digest = SHA256Digest()
        digest.update(bytes)
        return digest.finishHex()
    }

    /// SHA-256 of a file's contents, read in 1 MiB blocks. Only a regular file is read: a FIFO
    /// would block on open and a device such as /dev/zero never end, so both are refused first.
    public static func hex(ofFile path: String) throws -> String {
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) != S_IFREG {
            let kind = switch status.st_mode & S_IFMT {
            case S_IFIFO: "a named pipe (FIFO)"
            case S_IFCHR, S_IFBLK: "a device"
            case S_IFDIR: "a folder"
            case S_IFSOCK: "a socket"
            default: "not a regular file"
            }
            throw PipelineError("\(path) is \(kind), not a file SpeakerLab can read; name a regular file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw exists ? CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path]) : CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        let digest = SHA256Digest()
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
            block.withUnsafeBytes { digest.update($0) }
        }
        return digest.finishHex()
    }
}
