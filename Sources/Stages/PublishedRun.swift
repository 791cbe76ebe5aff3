import Foundation
import Pipeline
import Reports

/// One published result folder (`Results/<experiment>/` or a sweep point's folder): its metrics,
/// its resolved spec and its training history, read back for tables and comparisons.
public struct PublishedRun {
    /// The name shown for it: its path below the folder asked for, or that folder's name when it is the run.
    public let name: String
    /// The folder.
    public let folder: URL
    /// Metric names in the order of `metrics.csv`, with their values as written.
    public let metrics: [(name: String, value: String)]
    /// The resolved spec (`spec.json`), when present.
    public let spec: CanonicalValue?

    /// The training history (`history.csv`), when present.
    public var history: Table? {
        (try? String(contentsOf: folder.appendingPathComponent("history.csv"), encoding: .utf8)).flatMap { try? CSV.parse($0) }
    }

    /// The numerics fingerprint of the machine that computed it (`environment.json`), when recorded.
    public var fingerprint: NumericsFingerprint? {
        struct Record: Decodable { let numerics: NumericsFingerprint? }
        return (try? Data(contentsOf: folder.appendingPathComponent("environment.json")))
            .flatMap { try? JSONDecoder().decode(Record.self, from: $0) }?.numerics
    }

    /// Whether the run chose a checkpoint on its test speakers (`finetune.select: test-speakers`,
    /// the seed's practice): tables, reports and comparisons mark it, since its test metrics are optimistic.
    public var selectedOnTestSpeakers: Bool { spec?["finetune"]?["select"]?.string == "test-speakers" }

    /// The mark tables put beside such a run, and the note that explains it.
    public static let testSelectionMark = "†"
    /// The note under a table with a marked run.
    public static let testSelectionNote = "† selected its checkpoint on the test speakers (finetune.select: test-speakers, the seed's practice); its test metrics are optimistic"

    /// The value of a metric, when the run has it.
    public func metric(_ name: String) -> String? { metrics.first { $0.name == name }?.value }

    /// Reads one run folder (it must hold `metrics.csv`).
    public init(folder: URL, name: String) throws {
        let file = folder.appendingPathComponent("metrics.csv")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw PipelineError("\(folder.path) has no metrics.csv; it is not a finished run (run `speakerlab run SPEC` first)")
        }
        let table: Table
        do { table = try CSV.parse(text) } catch { throw PipelineError("\(file.path): \(error)") }
        guard table.rows.count == 1 else {
            throw PipelineError("\(file.path): a run's metrics.csv is a header and one row of values; this one has \(table.rows.count) rows, so it is damaged; run the experiment again (`speakerlab run SPEC`)")
        }
        self.folder = folder
        self.name = name
        metrics = Array(zip(table.header, table.rows.first ?? table.header.map { _ in "" }))
        spec = (try? Data(contentsOf: folder.appendingPathComponent("spec.json"))).flatMap { try? JSONDecoder().decode(CanonicalValue.self, from: $0) }
    }

    /// Every run under the given paths, in argument order and then by path: a path that is a run
    /// folder is that one run; a folder above runs (a sweep, or `Results/`) gives each run under it.
    public static func collect(_ paths: [String]) throws -> [PublishedRun] {
        var runs: [PublishedRun] = []
        for path in paths {
            let root = URL(fileURLWithPath: path).standardizedFileURL
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw PipelineError("\(path) is not a folder; name a results folder such as Results/quickstart")
            }
            var folders: [URL] = []
            // A run folder is that run alone, even when sweep points or override runs lie below it.
            if FileManager.default.fileExists(atPath: root.appendingPathComponent("metrics.csv").path) {
                runs.append(try PublishedRun(folder: root, name: root.lastPathComponent))
                continue
            }
            if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]) {
                for case let file as URL in walker where file.lastPathComponent == "metrics.csv" { folders.append(file.deletingLastPathComponent().standardizedFileURL) }
            }
            guard !folders.isEmpty else {
                throw PipelineError("no results under \(path): a run folder holds metrics.csv (run `speakerlab run SPEC` first)")
            }
            for folder in folders.sorted(by: { $0.path < $1.path }) {
                let name = folder == root ? root.lastPathComponent : String(folder.path.dropFirst(root.path.count + 1))
                runs.append(try PublishedRun(folder: folder, name: name))
            }
        }
        return runs
    }

    /// A spec value by dotted key, as table text; `model` names the graph (and the width when not 1).
    public func specValue(_ key: String) -> String {
        guard let spec else { return "–" }
        if key == "model" {
            let graph = spec["model"]?["graph"]?.string.map { $0.hasSuffix(".yaml") ? String($0.dropLast(5)) : $0 } ?? "–"
            let width = spec["model"]?["width"]?.double ?? 1
            return width == 1 ? graph : "\(graph) ×\(Self.short(width))"
        }
        var value: CanonicalValue? = spec
        for part in key.split(separator: ".") { value = value?[String(part)] }
        guard let value else { return "–" }
        if case let .string(text) = value { return text }
        return value.canonicalText
    }

    static func short(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// Every leaf of a canonical value by dotted key.
    static func leaves(_ value: CanonicalValue, path: String = "") -> [String: String] {
        if case let .object(members) = value {
            var result: [String: String] = [:]
            for (key, child) in members { result.merge(leaves(child, path: path.isEmpty ? key : "\(path).\(key)")) { $1 } }
            return result
        }
        if case let .string(text) = value { return [path: text] }
        return [path: value.canonicalText]
    }
}
