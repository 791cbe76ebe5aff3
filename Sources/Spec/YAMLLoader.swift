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
        let lines = text.components(separatedBy: "\n")
        func sourceLine(_ line: Int) -> String? { line >= 1 && line <= lines.count ? lines[line - 1] : nil }

        let root = try Self.compose(text, file: file, lines: lines)
        do {
            return try YAMLDecoder().decode(type, from: root)
        } catch let diagnostic as Diagnostic {
            throw diagnostic
        } catch let error as DecodingError {
            let (path, message) = Self.describe(error)
            let mark = Self.node(at: path, in: root)?.mark ?? root.mark
            throw Diagnostic(file: file, line: mark?.line, column: mark?.column, message: message,
                             sourceLine: mark.flatMap { sourceLine($0.line) })
        }
    }

    /// Parses YAML text into a node tree; every failure (syntax, an empty file, a key given twice
    /// in one mapping) is a located `Diagnostic`.
    static func compose(_ text: String, file: String, lines: [String]) throws -> Node {
        func sourceLine(_ line: Int) -> String? { line >= 1 && line <= lines.count ? lines[line - 1] : nil }
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw Diagnostic(file: file, message: "the file is empty; it must hold a YAML mapping")
            }
            return composed
        } catch let error as YamlError {
            if case let .duplicatedKeysInMapping(duplicates, context) = error, let key = duplicates.first {
                // Yams marks the first occurrence; the error belongs on the second.
                let first = context.mark
                let indent = String(repeating: " ", count: max(0, first.column - 1))
                let again = (first.line..<max(first.line, lines.count)).first { lines[$0].hasPrefix(indent + key) && lines[$0].dropFirst(indent.count + key.count).drop(while: { $0 == " " }).hasPrefix(":") }
                let line = again.map { $0 + 1 } ?? first.line
                throw Diagnostic(file: file, line: line, column: first.column,
                                 message: "'\(key)' is given twice in one mapping (first on line \(first.line)); keep one",
                                 sourceLine: sourceLine(line))
            }
            throw Self.diagnostic(for: error, file: file, sourceLine: sourceLine)
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

    private static func diagnostic(for error: YamlError, file: String, sourceLine: (Int) -> String?) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return Diagnostic(file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(detail)", sourceLine: sourceLine(mark.line))
        default:
            return Diagnostic(file: file, message: "not valid YAML: \(error)")
        }
    }
}
