import Foundation

/// A rectangular table of text cells with a header, rendered as Markdown, CSV or aligned text.
public struct Table: Equatable, Sendable {
    /// The column names.
    public let header: [String]
    /// The rows, each with one cell per column.
    public private(set) var rows: [[String]]

    /// Creates a table; every row must have one cell per column.
    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = []
        for row in rows { append(row) }
    }

    /// Appends one row.
    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "row has \(row.count) cells, table has \(header.count) columns")
        rows.append(row)
    }

    /// A GitHub-flavoured Markdown table; numeric columns are right-aligned.
    public var markdown: String {
        let widths = columnWidths
        let numeric = header.indices.map { column in !rows.isEmpty && rows.allSatisfy { Double($0[column]) != nil } }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { index, cell in
                numeric[index] ? pad(cell, widths[index], left: true) : pad(cell, widths[index], left: false)
            }.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.enumerated().map { index, width in
            numeric[index] ? String(repeating: "-", count: width + 1) + ":" : String(repeating: "-", count: width + 2)
        }.joined(separator: "|") + "|"
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV with a header line.
    public var csv: String {
        ([header] + rows).map { $0.map(CSV.escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// Space-aligned columns for a terminal.
    public var aligned: String {
        let widths = columnWidths
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { pad($1, widths[$0], left: false) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    private var columnWidths: [Int] {
        header.indices.map { column in ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0 }
    }

    private func pad(_ text: String, _ width: Int, left: Bool) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? padding + text : text + padding
    }
}
