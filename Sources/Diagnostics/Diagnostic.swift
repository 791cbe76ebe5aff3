/// A located error in a user's file, printed the way a compiler prints one:
/// `file:line:column: error: message`, the offending line, a caret under the column, and the fix.
public struct Diagnostic: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file the error is in.
    public let file: String
    /// The 1-based line, or nil when the error concerns the whole file.
    public let line: Int?
    /// The 1-based column, or nil when the error concerns a whole line or file.
    public let column: Int?
    /// What is wrong.
    public let message: String
    /// The text of the offending line, when known.
    public let sourceLine: String?

    /// Creates a diagnostic.
    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, sourceLine: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    /// The compiler-style text, with the source line and caret when the location is known.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        var text = "\(location): error: \(message)"
        if let sourceLine {
            text += "\n" + sourceLine
            if let column { text += "\n" + String(repeating: " ", count: max(0, column - 1)) + "^" }
        }
        return text
    }
}
