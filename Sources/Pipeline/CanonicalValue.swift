import Foundation

/// A JSON-shaped value with one canonical text form (sorted keys, no spaces, shortest
/// round-tripping numbers), so equal parameters always hash to equal cache keys.
public enum CanonicalValue: Hashable, Sendable, Codable {
    /// JSON null.
    case null
    /// true or false.
    case bool(Bool)
    /// An integer.
    case integer(Int)
    /// A floating-point number.
    case number(Double)
    /// A string.
    case string(String)
    /// An ordered list.
    case list([CanonicalValue])
    /// A mapping; key order never matters.
    case object([String: CanonicalValue])

    /// The canonical JSON text.
    public var canonicalText: String {
        var text = ""
        write(to: &text)
        return text
    }

    private func write(to text: inout String) {
        switch self {
        case .null: text += "null"
        case let .bool(value): text += value ? "true" : "false"
        case let .integer(value): text += String(value)
        case let .number(value):
            // Integral doubles print as integers so that `lr: 1` and `lr: 1.0` share a key.
            if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
                text += String(Int(value))
            } else {
                text += "\(value)"
            }
        case let .string(value): Self.writeString(value, to: &text)
        case let .list(values):
            text += "["
            for (index, value) in values.enumerated() {
                if index > 0 { text += "," }
                value.write(to: &text)
            }
            text += "]"
        case let .object(members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                Self.writeString(key, to: &text)
                text += ":"
                members[key]!.write(to: &text)
            }
            text += "}"
        }
    }

    private static func writeString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            default:
                if scalar.value < 0x20 {
                    text += String(format: "\\u%04x", scalar.value)
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }

    /// Decodes any JSON value.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([CanonicalValue].self) { self = .list(value) }
        else { self = .object(try container.decode([String: CanonicalValue].self)) }
    }

    /// Encodes as plain JSON.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .integer(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .list(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }
}
