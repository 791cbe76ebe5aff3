import Foundation

/// Checks that a Markdown file holds a given table: the table in the file whose header matches
/// is compared row by row, text cells exactly and numeric cells within a tolerance. This is how
/// `speakerlab table --check README.md` keeps a README's numbers true.
public struct MarkdownTableCheck {
    /// One cell that differs, with the file line it is on.
    public struct Difference: Equatable, CustomStringConvertible, Sendable {
        /// The 1-based line in the file.
        public let line: Int
        /// What differs.
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The expected table.
    public let expected: Table
    /// The largest accepted absolute difference between numeric cells.
    public let tolerance: Double

    /// Instead of the digits, check that each fresh value lies inside the interval the file
    /// publishes for it (`0.0387 [0.0210, 0.0580]`): `table --check --within-ci`.
    public let withinIntervals: Bool

    /// Creates a check.
    public init(expected: Table, tolerance: Double, withinIntervals: Bool = false) {
        self.expected = expected
        self.tolerance = tolerance
        self.withinIntervals = withinIntervals
    }

    /// The differences between the expected table and the one in `text` (empty when it matches).
    /// A file without a table with the same header gives one difference on line 0 that says so.
    public func differences(in text: String) -> [Difference] {
        let lines = text.components(separatedBy: "\n")
        let header = expected.header.map(Self.normalise)
        guard let start = lines.indices.first(where: { Self.cells(lines[$0]) == header }) else {
            return [Difference(line: 0, message: "no table with the header | \(expected.header.joined(separator: " | ")) |; paste the output of `speakerlab table` without --check into the file")]
        }
        var rows: [(line: Int, cells: [String])] = []
        var index = start + 2
        while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
            rows.append((index + 1, Self.cells(lines[index])))
            index += 1
        }
        var found: [Difference] = []
        if rows.count != expected.rows.count {
            found.append(Difference(line: start + 1, message: "the table has \(rows.count) row(s); the results give \(expected.rows.count)"))
        }
        for (row, expectedRow) in zip(rows, expected.rows) {
            guard row.cells.count == expectedRow.count else {
                found.append(Difference(line: row.line, message: "\(row.cells.count) cells; the header has \(expectedRow.count)"))
                continue
            }
            for (column, (actual, wanted)) in zip(row.cells, expectedRow.map(Self.normalise)).enumerated() {
                if withinIntervals, let inside = Self.inside(wanted, publishedInterval: actual) {
                    if !inside { found.append(Difference(line: row.line, message: "row '\(expectedRow[0])', column '\(expected.header[column])': the results give \(wanted), outside the file's interval \(actual)")) }
                } else if !Self.matches(actual, wanted, tolerance: tolerance) {
                    found.append(Difference(line: row.line, message: "row '\(expectedRow[0])', column '\(expected.header[column])': the file has \(actual), the results give \(wanted)"))
                }
            }
        }
        return found
    }

    /// Cells match when their text around the numbers is the same and each number is within the
    /// tolerance (`0.0387 [0.0210, 0.0580]` holds three).
    static func matches(_ actual: String, _ wanted: String, tolerance: Double) -> Bool {
        let (a, b) = (numbers(actual), numbers(wanted))
        guard a.skeleton == b.skeleton, a.values.count == b.values.count else { return false }
        return zip(a.values, b.values).allSatisfy { abs($0 - $1) <= tolerance }
    }

    /// Whether the fresh cell's value lies in the interval of the published cell `v [lo, hi]`;
    /// nil when the published cell holds no interval.
    static func inside(_ wanted: String, publishedInterval actual: String) -> Bool? {
        let published = numbers(actual), fresh = numbers(wanted)
        guard published.values.count == 3, actual.contains("["), let value = fresh.values.first else { return nil }
        return value >= published.values[1] && value <= published.values[2]
    }

    /// The numbers in a cell, and the cell with each replaced by `#`.
    static func numbers(_ cell: String) -> (skeleton: String, values: [Double]) {
        var skeleton = "", values: [Double] = [], current = ""
        func flush() {
            if let value = Double(current) { values.append(value); skeleton += "#" } else { skeleton += current }
            current = ""
        }
        for character in cell {
            if character.isNumber || character == "." || ((character == "-" || character == "+") && current.isEmpty) || (character == "e" && !current.isEmpty) {
                current.append(character)
            } else {
                flush()
                skeleton.append(character)
            }
        }
        flush()
        return (skeleton, values)
    }

    /// The trimmed cells of a Markdown table line (empty for a line that is not one).
    static func cells(_ line: String) -> [String] {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("|"), trimmed.hasSuffix("|"), trimmed.count >= 2 else { return [] }
        return trimmed.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false).map { normalise(String($0)) }
    }

    static func normalise(_ cell: String) -> String { cell.trimmingCharacters(in: .whitespaces) }
}
