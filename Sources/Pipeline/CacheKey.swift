import Foundation

/// The content address of a stage's output: SHA-256 (hex) of the canonical JSON of the stage
/// kind, its code version, its resolved parameters and its inputs' keys (DESIGN §3).
public struct CacheKey: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// 64 lowercase hexadecimal digits.
    public let hex: String

    /// Computes the key of one stage.
    public init(kind: String, codeVersion: Int, parameters: CanonicalValue, inputs: [CacheKey]) {
        let document = CanonicalValue.object([
            "kind": .string(kind),
            "version": .integer(codeVersion),
            "parameters": parameters,
            "inputs": .list(inputs.map { .string($0.hex) }),
        ])
        hex = SHA256Digest.hex(of: document.canonicalText.utf8)
    }

    /// Wraps a key read back from disk; nil unless it is 64 lowercase hex digits.
    public init?(hex: String) {
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        self.hex = hex
    }

    /// The first 12 digits, enough to name a stage in a listing.
    public var short: String { String(hex.prefix(12)) }

    public var description: String { hex }

    public static func < (lhs: CacheKey, rhs: CacheKey) -> Bool { lhs.hex < rhs.hex }
}

