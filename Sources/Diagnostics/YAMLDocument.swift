import Foundation
import Yams

/// A YAML file's text, parsed once, that locates every error at a node: what specs and model
/// graphs share, so both print `file:line:column: error: …` with the line and a caret.
public struct YAMLDocument: Sendable {
    /// The file, as the user named it.
    public let file: String
    /// The text's lines, for the caret line.
    public let lines: [String]

    /// Wraps the text of `file`.
    public init(file: String, text: String) {
        self.file = file
        self.lines = text.components(separatedBy: "\n")
    }

    /// Reads a YAML file of at most `limit` bytes; `what` names it in errors ("spec",
    /// "model graph"), `fix` says where such files live.
    public static func read(path: String, what: String, fix: String, limit: Int = 1 << 20) throws -> YAMLDocument {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw Diagnostic(file: path, message: "no \(what) file here; \(fix)")
        }
        guard !isFolder.boolValue else { throw Diagnostic(file: path, message: "this is a folder, not a \(what) file; \(fix)") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Diagnostic(file: path, message: "cannot read the \(what) file; check its permissions")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
        guard data.count <= limit else {
            throw Diagnostic(file: path, message: "the \(what) file is over \(limit >> 20) MiB; a \(what) is a short YAML file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic(file: path, message: "the \(what) file is not UTF-8 text")
        }
        return YAMLDocument(file: path, text: text)
    }

    /// The 1-based line's text, when it exists.
    public func sourceLine(_ line: Int) -> String? {
        line >= 1 && line <= lines.count ? lines[line - 1] : nil
    }

    /// A diagnostic at a node (at the whole file when the node has no position).
    public func error(_ message: String, at node: Node?) -> Diagnostic {
        guard let mark = node?.mark else { return Diagnostic(file: file, message: message) }
        return Diagnostic(file: file, line: mark.line, column: mark.column, message: message, sourceLine: sourceLine(mark.line))
    }

    /// Parses the text into a node tree; every failure (syntax, an empty file, a key given twice in
    /// one mapping) is a located `Diagnostic`.
    public func compose() throws -> Node {
        do {
            guard let composed = try Yams.compose(yaml: lines.joined(separator: "\n")) else {
                throw Diagnostic(file: file, message: "the file is empty; it must hold a YAML mapping")
            }
            try checkExpansion(composed)
            return composed
        } catch let error as YamlError {
            throw diagnostic(for: error)
        }
    }

    /// Refuses a node tree that expands past `maximumValues` through anchors and aliases.
    public func checkExpansion(_ root: Node) throws {
        var sizes: [Place: Int] = [:]
        guard expandedSize(root, memo: &sizes) <= Self.maximumValues else {
            throw error("the file expands to more than \(Self.maximumValues) values through its anchors and aliases (the most a spec or model graph may hold); use fewer aliases", at: root)
        }
    }

    /// The most values (scalars, lists and mappings, aliases counted as what they repeat) a file may
    /// expand to: a guard against "billion laughs" alias bombs, which would otherwise take hours.
    public static let maximumValues = 1_000_000

    /// Where a node starts and what it is: an alias repeats its anchor's node, place and all.
    private struct Place: Hashable {
        let line: Int
        let column: Int
        let kind: Int
    }

    /// The node's size with aliases expanded, memoised by place so that it takes time linear in
    /// the text; saturates at `Int.max`.
    private func expandedSize(_ node: Node, memo: inout [Place: Int]) -> Int {
        let kind = node.scalar != nil ? 0 : node.sequence != nil ? 1 : 2
        let place = node.mark.map { Place(line: $0.line, column: $0.column, kind: kind) }
        if let place, let known = memo[place] { return known }
        var size = 1
        func add(_ child: Node) {
            let (sum, overflow) = size.addingReportingOverflow(expandedSize(child, memo: &memo))
            size = overflow ? Int.max : sum
        }
        if let sequence = node.sequence { for child in sequence { add(child); if size > Self.maximumValues { break } } }
        if let mapping = node.mapping { for (key, value) in mapping { add(key); add(value); if size > Self.maximumValues { break } } }
        if let place { memo[place] = size }
        return size
    }

    private func diagnostic(for error: YamlError) -> Diagnostic {
        switch error {
        case let .duplicatedKeysInMapping(duplicates, context):
            guard let key = duplicates.first else { break }
            // Yams marks the first occurrence; the error belongs on the second.
            let first = context.mark
            let indent = String(repeating: " ", count: max(0, first.column - 1))
            let again = (first.line..<max(first.line, lines.count)).first {
                lines[$0].hasPrefix(indent + key) && lines[$0].dropFirst(indent.count + key.count).drop(while: { $0 == " " }).hasPrefix(":")
            }
            let line = again.map { $0 + 1 } ?? first.line
            return Diagnostic(file: file, line: line, column: first.column,
                              message: "'\(key)' is given twice in one mapping (first on line \(first.line)); keep one", sourceLine: sourceLine(line))
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return Diagnostic(file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(detail)", sourceLine: sourceLine(mark.line))
        default:
            break
        }
        return Diagnostic(file: file, message: "not valid YAML: \(error)")
    }
}
