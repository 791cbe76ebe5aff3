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
            // A long line is shown as a window around the column, so the caret still points.
            let characters = Array(sourceLine)
            let window = 160
            let start = characters.count > window ? max(0, min((column ?? 1) - 1 - window / 2, characters.count - window)) : 0
            let end = min(characters.count, start + window)
            text += "\n" + (start > 0 ? "…" : "") + String(characters[start..<end]) + (end < characters.count ? "…" : "")
            if let column { text += "\n" + String(repeating: " ", count: max(0, column - 1 - start + (start > 0 ? 1 : 0))) + "^" }
        }
        return text
    }
}
