import Foundation

/// Reading and writing RFC 4180 comma-separated values.
public enum CSV {
    /// A CSV text that cannot be read, with the line it fails on.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        /// The 1-based line.
        public let line: Int
        /// What is wrong.
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Quotes a cell when it holds a comma, a quote or a line break.
    public static func escape(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Parses CSV text into a table whose first line is the header.
    public static func parse(_ text: String) throws -> Table {
        var records: [[String]] = []
        var record: [String] = []
        var cell = ""
        var inQuotes = false
        var line = 1
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        while let scalar = next() {
            if inQuotes {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" { cell.unicodeScalars.append("\"") } else { inQuotes = false; pending = following }
                    } else { inQuotes = false }
                } else {
                    if scalar == "\n" { line += 1 }
                    cell.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where cell.isEmpty: inQuotes = true
            case ",": record.append(cell); cell = ""
            case "\r": continue
            case "\n":
                record.append(cell); cell = ""
                if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                record = []
                line += 1
            default: cell.unicodeScalars.append(scalar)
            }
        }
        if inQuotes { throw ParseError(line: line, message: "a quoted cell is never closed") }
        if !cell.isEmpty || !record.isEmpty { record.append(cell); records.append(record) }
        guard let header = records.first else { throw ParseError(line: 1, message: "no header line") }
        for (index, row) in records.enumerated().dropFirst() where row.count != header.count {
            throw ParseError(line: index + 1, message: "\(row.count) cells, the header has \(header.count)")
        }
        return Table(header: header, rows: Array(records.dropFirst()))
    }
}
