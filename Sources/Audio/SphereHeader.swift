import Foundation

/// The NIST SPHERE header's `sample_count` (TIMIT's `.WAV` files). libsndfile sizes a SPHERE
/// file by its length and ignores this field, so a file cut short reads as a shorter utterance;
/// comparing the two finds it.
enum SphereHeader {
    /// The declared sample count, or nil when the header has none (or is not SPHERE).
    static func sampleCount(_ path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        // The header is `NIST_1A\n   1024\n` then `name -type value` lines up to `end_head`, in
        // the header's declared size (1024 bytes in every corpus seen).
        guard let data = try? handle.read(upToCount: 4096), let text = String(data: data.prefix(4096), encoding: .isoLatin1),
              text.hasPrefix("NIST_1A") else { return nil }
        for line in text.split(separator: "\n") {
            if line.hasPrefix("end_head") { break }
            let fields = line.split(separator: " ")
            if fields.count == 3, fields[0] == "sample_count", fields[1] == "-i" { return Int(fields[2]) }
        }
        return nil
    }
}
