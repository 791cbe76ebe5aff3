import Yams

/// A model graph that cannot be built, located at the YAML node that causes it.
public struct ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The model file.
    public let file: String
    /// 1-based line, when known.
    public let line: Int?
    /// 1-based column, when known.
    public let column: Int?
    /// What is wrong and how to fix it.
    public let message: String
    /// The offending source line, for the caret.
    public let sourceLine: String?

    /// `file:line:column: error: message`, the source line and a caret, as a compiler prints it.
    public var description: String {
        var location = file
        if let line { location += ":\(line)"; if let column { location += ":\(column)" } }
        var text = "\(location): error: \(message)"
        if let sourceLine, let column { text += "\n\(sourceLine)\n" + String(repeating: " ", count: max(0, column - 1)) + "^" }
        return text
    }
}

/// Where diagnostics point: the file and its lines.
struct SourceFile {
    let path: String
    let lines: [String]

    func error(_ message: String, at node: Node?) -> ModelError {
        let mark = node?.mark
        return ModelError(file: path, line: mark?.line, column: mark?.column, message: message,
                          sourceLine: mark.flatMap { $0.line >= 1 && $0.line <= lines.count ? lines[$0.line - 1] : nil })
    }
}
