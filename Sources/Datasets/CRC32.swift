import Foundation

/// CRC-32 (the zlib / PNG polynomial), the checksum manifests record for each source file.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// The CRC-32 of some bytes.
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// The CRC-32 of a file, as 8 lowercase hex digits.
    public static func checksum(ofFile path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError("\(path): error: cannot read the file to checksum it")
        }
        return String(format: "%08x", checksum(data))
    }
}
