import Audio
import Foundation
import Pipeline
import Reports

/// Arrays of different lengths in one artifact: `<name>.npy` holds them end to end (1-D
/// float32) and `<name>.csv` one row per array (its name, the speaker or "", offset, count).
enum RaggedArrays {
    /// Writes the arrays with their names and speakers.
    static func write(_ arrays: [[Float]], names: [String], speakers: [String], name: String, to folder: URL) throws {
        let flat = arrays.flatMap { $0 }
        try NumpyArrayFile.encode(flat, shape: [flat.count]).write(to: folder.appendingPathComponent(name + ".npy"))
        var rows = ["name,speaker,offset,count"]
        var offset = 0
        for (index, array) in arrays.enumerated() {
            rows.append([names[index], speakers[index], String(offset), String(array.count)].map(CSV.escape).joined(separator: ","))
            offset += array.count
        }
        try AtomicFile.write(rows.joined(separator: "\n") + "\n", to: folder.appendingPathComponent(name + ".csv").path)
    }

    /// Reads what `write` wrote: each array with its name and speaker.
    static func read(_ name: String, from folder: URL) throws -> (arrays: [[Float]], names: [String], speakers: [String]) {
        let (_, flat) = try NumpyArrayFile.decode(Data(contentsOf: folder.appendingPathComponent(name + ".npy")))
        let table = try CSV.parse(try String(contentsOf: folder.appendingPathComponent(name + ".csv"), encoding: .utf8))
        var arrays: [[Float]] = [], names: [String] = [], speakers: [String] = []
        for row in table.rows {
            guard row.count == 4, let offset = Int(row[2]), let count = Int(row[3]), offset >= 0, count >= 0, offset + count <= flat.count else {
                throw PipelineError("\(folder.path)/\(name).csv: a row does not fit \(name).npy; run the stage again (speakerlab gc, then run)")
            }
            arrays.append(Array(flat[offset..<(offset + count)]))
            names.append(row[0])
            speakers.append(row[1])
        }
        return (arrays, names, speakers)
    }
}
