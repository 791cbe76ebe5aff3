import Diagnostics
import Foundation
import Pipeline
import Yams

/// A spec file read once: `extends:` resolved by deep merge (the child's keys win; mappings
/// merge; null removes an inherited key or section) and its `sweep:` block taken out as axes.
/// `resolve` applies `--set` overrides and validates against a schema, defaults filled in.
public struct SpecSource: Sendable {
    /// The spec file.
    public let path: String
    /// The spec's `sweep.grid` axes (every combination is a point), each value YAML text.
    public let grid: [SweepAxis]
    /// The spec's `sweep.zip` axes (they advance together).
    public let zip: [SweepAxis]
    let tree: SpecTreeBox

    /// Reads `path` and the files it extends.
    public init(path: String) throws {
        self.path = path
        var tree = try SpecTree.load(path: path)
        (grid, zip) = try Self.extractSweep(&tree)
        self.tree = SpecTreeBox(tree)
    }

    /// The validated value with `overrides` applied in order, and where each explicitly given key was given.
    public func resolve(overrides: [String], schema: SpecSchema) throws -> ResolvedSpec {
        var tree = self.tree.tree
        for (index, override) in overrides.enumerated() {
            try SpecOverride(override).apply(to: &tree, schema: schema, layer: index + 1)
        }
        let value = try SpecValidation.validate(tree, schema: schema, path: [])
        var places: [String: Diagnostic] = [:]
        Self.collectPlaces(tree, path: [], into: &places)
        return ResolvedSpec(value: value, places: places)
    }

    /// Removes `sweep:` from the tree and returns its axes.
    static func extractSweep(_ tree: inout SpecTree) throws -> (grid: [SweepAxis], zip: [SweepAxis]) {
        guard case let .mapping(entries) = tree, let sweep = entries.first(where: { $0.key == "sweep" }) else { return ([], []) }
        tree = .mapping(entries.filter { $0.key != "sweep" })
        let shape = "sweep holds grid: and/or zip:, each a mapping of spec keys to lists of values"
        guard case let .mapping(kinds) = sweep.value else { throw SpecValidation.error(sweep, shape) }
        var grid: [SweepAxis] = [], zip: [SweepAxis] = []
        for kind in kinds {
            guard kind.key == "grid" || kind.key == "zip", case let .mapping(axes) = kind.value else { throw SpecValidation.error(kind, shape) }
            for axis in axes {
                guard case let .leaf(located) = axis.value, let items = located.node.sequence, !items.isEmpty else {
                    throw SpecValidation.error(axis, "sweep.\(kind.key).\(axis.key) must be a list of values, e.g. [0.01, 0.001] or [{kind: adam}, {kind: sgd}]")
                }
                let values = try items.map { try SweepAxis.text(of: $0) }
                if kind.key == "grid" { grid.append(SweepAxis(key: axis.key, values: values)) } else { zip.append(SweepAxis(key: axis.key, values: values)) }
            }
        }
        return (grid, zip)
    }

    static func collectPlaces(_ tree: SpecTree, path: [String], into result: inout [String: Diagnostic]) {
        guard case let .mapping(entries) = tree else { return }
        for entry in entries {
            let key = (path + [entry.key]).joined(separator: ".")
            if case let .leaf(located) = entry.value { result[key] = located.error("") }
            else { result[key] = entry.keyNode?.error("") ?? Diagnostic(file: "--set \(key)", message: "") }
            collectPlaces(entry.value, path: path + [entry.key], into: &result)
        }
    }
}

/// A validated spec value and where each key the files or overrides gave was given.
public struct ResolvedSpec: Sendable {
    /// The validated value, defaults included.
    public let value: CanonicalValue
    /// Dotted key → its place (message empty), for errors found after validation.
    public let places: [String: Diagnostic]

    /// A located error about `key` (the spec file when the key was not given).
    public func error(at key: String, file: String, _ message: String) -> Diagnostic {
        guard let place = places[key] else { return Diagnostic(file: file, message: message) }
        return Diagnostic(file: place.file, line: place.line, column: place.column, message: message, sourceLine: place.sourceLine)
    }
}

/// The parsed tree, immutable once read (YAML nodes are values, so sharing it is safe).
struct SpecTreeBox: @unchecked Sendable {
    let tree: SpecTree
    init(_ tree: SpecTree) { self.tree = tree }
}

/// One sweep axis: a spec key and the values it takes, each YAML text (`0.01`, `{kind: adam}`).
public struct SweepAxis: Sendable, Equatable {
    /// The dotted key.
    public let key: String
    /// The values, as override text.
    public let values: [String]

    /// Creates an axis.
    public init(key: String, values: [String]) {
        self.key = key
        self.values = values
    }

    /// A YAML node as one line of flow YAML (`{kind: adam, lr: 0.001}`), for an override.
    static func text(of node: Node) throws -> String {
        func flow(_ node: Node) -> Node {
            switch node {
            case let .mapping(mapping): return .mapping(Node.Mapping(mapping.map { (flow($0.key), flow($0.value)) }, mapping.tag, .flow))
            case let .sequence(sequence): return .sequence(Node.Sequence(sequence.map(flow), sequence.tag, .flow))
            default: return node
            }
        }
        return try Yams.serialize(node: flow(node)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The command line's overrides split into single values and grid axes: `key=a,b` sweeps the
    /// key over a and b; commas inside quotes, brackets or braces do not split (`key="a,b"`,
    /// `key=[1, 2]`); `~key` removes a key and is never an axis.
    ///
    /// A list-typed key (`model.blocks`, `evaluate.metrics`) takes its comma-separated text as one
    /// list (`model.blocks=1,2,2,1` is `[1, 2, 2, 1]`); it is swept only over bracketed lists
    /// (`model.blocks=[1,1,1,1],[2,2,2,2]`).
    public static func split(_ overrides: [String], schema: SpecSchema = ExperimentSchema.schema) -> (fixed: [String], axes: [SweepAxis]) {
        var fixed: [String] = [], axes: [SweepAxis] = []
        for override in overrides {
            guard let axis = parse(override), axis.values.count > 1 else { fixed.append(override); continue }
            if schema.isList(at: axis.key), !axis.values.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).hasPrefix("[") }) {
                let text = override[override.index(after: override.firstIndex(of: "=")!)...]
                fixed.append("\(axis.key)=[\(text)]")
            } else {
                axes.append(axis)
            }
        }
        return (fixed, axes)
    }

    /// `key=a,b` as an axis (nil for `~key` or text without `=`).
    public static func parse(_ entry: String) -> SweepAxis? {
        guard !entry.hasPrefix("~"), let equals = entry.firstIndex(of: "=") else { return nil }
        return SweepAxis(key: String(entry[..<equals]), values: SpecOverride.values(entry[entry.index(after: equals)...]))
    }
}
