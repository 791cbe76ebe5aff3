import Diagnostics
import Foundation
import Yams

/// Loads YAML files into `Decodable` values, turning every failure into a located `Diagnostic`.
public struct YAMLLoader: Sendable {
    /// Creates a loader.
    public init() {}

    /// Reads `path` and decodes one `T` from it.
    public func load<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic(file: path, message: "cannot read the file; check that the path exists and is readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic(file: path, message: "the file is not UTF-8 text")
        }
        return try decode(type, from: text, file: path)
    }

    /// Decodes one `T` from YAML text; `file` names it in diagnostics.
    public func decode<T: Decodable>(_ type: T.Type, from text: String, file: String) throws -> T {
        let document = YAMLDocument(file: file, text: text)
        let root = try document.compose()
        do {
            return try YAMLDecoder().decode(type, from: root)
        } catch let diagnostic as Diagnostic {
            throw diagnostic
        } catch let error as DecodingError {
            let (path, message) = Self.describe(error)
            throw document.error(message, at: Self.node(at: path, in: root) ?? root)
        }
    }

    /// The deepest node along a coding path (the last one that exists).
    static func node(at path: [CodingKey], in root: Node) -> Node? {
        var current = root
        for key in path {
            if let index = key.intValue, let sequence = current.sequence, index < sequence.count {
                current = sequence[index]
            } else if let mapping = current.mapping, let value = mapping[key.stringValue] {
                current = value
            } else {
                break
            }
        }
        return current
    }

    /// A dotted key path and a readable message for a decoding failure.
    static func describe(_ error: DecodingError) -> ([CodingKey], String) {
        func dotted(_ path: [CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case let .typeMismatch(type, context):
            return (context.codingPath, "'\(dotted(context.codingPath))' must be \(Self.typeName(type)); \(context.debugDescription)")
        case let .valueNotFound(type, context):
            return (context.codingPath, "'\(dotted(context.codingPath))' needs a value of type \(Self.typeName(type))")
        case let .keyNotFound(key, context):
            let parent = dotted(context.codingPath)
            return (context.codingPath, "missing key '\(key.stringValue)'\(parent.isEmpty ? "" : " in '\(parent)'"); add it")
        case let .dataCorrupted(context):
            return (context.codingPath, context.debugDescription)
        @unknown default:
            return ([], "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        default: return "\(type)"
        }
    }
}
